namespace ActorTrain.Cli.Report;

/// <summary>One <c>progress</c> record of metrics.jsonl: the run's pace and training loss at a moment.</summary>
/// <param name="Seconds">Seconds since the run's training began (the report's time axis).</param>
/// <param name="Loss">Mean training loss since the previous record; null when nothing was committed in between.</param>
public sealed record ProgressPoint(double Seconds, long Updates, long CompletedMicroBatches, long TotalMicroBatches, double? Loss, double SamplesPerSecond);
