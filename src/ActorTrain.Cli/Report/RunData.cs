using System.Text.Json.Nodes;

namespace ActorTrain.Cli.Report;

/// <summary>Everything the report shows of one run folder, on one time axis: seconds since its training began.</summary>
/// <param name="Summary">summary.json; null while the run has not finished (or crashed).</param>
/// <param name="AppliedStaleness">Applied pushes by staleness in updates (staleness.json); empty when the run wrote none.</param>
/// <param name="ClockGap">Under SSP, worker reads by clocks behind the slowest worker; empty otherwise.</param>
/// <param name="LearningRate">The rate in force from each update on: the configured schedule with the run's recorded changes.</param>
/// <param name="PushBytesPerSample">Gradient payload bytes the workers sent to the shards per training sample; null when unknown.</param>
/// <param name="Notes">What could not be shown, and why.</param>
public sealed record RunData(
    string Folder,
    string Id,
    string Job,
    string Mode,
    JsonObject? Summary,
    MetricsSeries Metrics,
    HistorySeries History,
    IReadOnlyList<RunEvent> Events,
    IReadOnlyList<long> AppliedStaleness,
    IReadOnlyList<long> ClockGap,
    IReadOnlyList<RatePoint> LearningRate,
    double? PushBytesPerSample,
    IReadOnlyList<string> Notes)
{
    public double? TestAccuracy => Number("test_accuracy");

    public double? FinalValidationAccuracy => Number("validation_accuracy") ?? Metrics.Evaluations.LastOrDefault(e => e.Accuracy != null)?.Accuracy;

    /// <summary>Seconds until the first evaluation at or above <paramref name="target"/>; null when none reached it.</summary>
    public double? SecondsTo(double target) => Metrics.Evaluations.FirstOrDefault(e => e.Accuracy >= target)?.Seconds;

    public double? Number(string key) =>
        Summary?[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
}
