namespace ActorTrain.Cli.Report;

/// <summary>One <c>evaluation</c> record of metrics.jsonl: validation loss and accuracy at an update count.</summary>
/// <param name="Seconds">On the report's time axis: the record's own time, or read off the progress records by its updates.</param>
public sealed record EvaluationPoint(double Seconds, long Updates, double? Loss, double? Accuracy);
