using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Cli.Report;

/// <summary>What a run's metrics.jsonl holds, on the report's time axis.</summary>
/// <param name="Start">When training began, where the records carry their wall-clock time (<c>at</c>); null for older runs.</param>
/// <param name="Skipped">Lines that were not JSON objects (a write torn by a killed process).</param>
public sealed record MetricsSeries(
    IReadOnlyList<ProgressPoint> Progress,
    IReadOnlyList<EvaluationPoint> Evaluations,
    IReadOnlyList<RunEvent> Events,
    IReadOnlyList<RateChange> RateChanges,
    DateTimeOffset? Start,
    int Skipped);
