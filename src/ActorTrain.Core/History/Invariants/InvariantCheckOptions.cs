using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;

namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// What the checker needs besides the history: the mode the job started in (and its SSP bound), and what it can
/// compare against when given. <see cref="ModeChanged"/> events in the history take over from the starting mode.
/// </summary>
public sealed record InvariantCheckOptions(ConsistencyMode Mode, int Staleness = 0)
{
    /// <summary>The SSP bound s while the starting mode is SSP.</summary>
    public int Staleness { get; init; } = Staleness >= 0
        ? Staleness
        : throw new ArgumentOutOfRangeException(nameof(Staleness), Staleness, "a staleness bound is at least 0");

    /// <summary>The job's plan, to know each epoch's micro-batches and their samples; without it, ids seen are all there is.</summary>
    public BatchPlan? Plan { get; init; }

    /// <summary>The final-weights hash of the fault-free run with the same seed (invariant 4); not checked when null.</summary>
    public string? ReferenceWeightsHash { get; init; }

    /// <summary>How many shards a checkpoint must name; when null, one more than the highest shard seen in the history.</summary>
    public int? ShardCount { get; init; }

    /// <summary>Loads a complete checkpoint and runs on from it: null when it reproduces the run, otherwise why not.</summary>
    public Func<CheckpointRecorded, string?>? LoadCheckpoint { get; init; }
}
