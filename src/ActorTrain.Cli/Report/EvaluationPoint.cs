namespace ActorTrain.Cli.Report;

/// <summary>One <c>evaluation</c> record of metrics.jsonl: validation loss and accuracy at an update count.</summary>
/// <param name="Seconds">On the report's time axis: when the run reached <paramref name="Updates"/> (by its progress records), else the record's own time.</param>
public sealed record EvaluationPoint(double Seconds, long Updates, double? Loss, double? Accuracy);
