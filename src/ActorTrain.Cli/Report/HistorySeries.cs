namespace ActorTrain.Cli.Report;

/// <summary>What the report takes from a run's history/*.jsonl.</summary>
/// <param name="PushesByShard">Pushes sent to each shard (resends included): the data plane's traffic towards the shards.</param>
/// <param name="FirstAssignment">When the first micro-batch went out: where training time 0 is for runs whose metrics carry no wall-clock times.</param>
public sealed record HistorySeries(
    IReadOnlyList<RunEvent> Events,
    IReadOnlyList<WorkerCommits> Workers,
    IReadOnlyDictionary<int, long> PushesByShard,
    DateTimeOffset? FirstAssignment,
    bool Present);
