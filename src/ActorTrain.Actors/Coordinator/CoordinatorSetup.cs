using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Hyperparameters.Policies;
using Akka.Actor;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// What the coordinator owns from the start: the data plan, the mode with SSP's bound and local rounds' H, and whom it
/// reports to; where it keeps its
/// journal (<see cref="PersistenceId"/>) and finds the shards' checkpoint snapshots (<see cref="ShardCheckpointIds"/>,
/// one per shard), when it checkpoints, how often it snapshots itself (every <see cref="SnapshotEvery"/> events), and
/// whether this start resumes a stopped run (<see cref="Resume"/>: go back to the last complete checkpoint). Validation
/// runs every <see cref="EvaluateEveryUpdates"/> updates and every <see cref="EvaluateEverySeconds"/> of training (0: not
/// by that measure); <see cref="Control"/> says what judges them. Local only.
/// </summary>
public sealed record CoordinatorSetup(
    BatchPlan Plan,
    ConsistencyMode Mode,
    IActorRef Evaluator,
    IReadOnlyList<IActorRef> Shards,
    IActorRef Observer,
    int EvaluateEveryUpdates,
    TimeSpan ProgressInterval,
    int Staleness,
    int InnerSteps,
    string PersistenceId,
    IReadOnlyList<string> ShardCheckpointIds,
    CheckpointSchedule Checkpoints,
    int SnapshotEvery,
    bool Resume = false,
    double EvaluateEverySeconds = 0)
{
    /// <summary>The policies that judge evaluations, and the learning-rate schedule the shards apply (<see cref="TrainingControl"/>).</summary>
    public ControlSetup Control { get; init; } = ControlSetup.None;
}

/// <summary>What training control needs: the job's policies, the schedule over its updates (the shards' own), and divergence handling.</summary>
public sealed record ControlSetup(TrainingPolicies Policies, LearningRateSchedule Schedule)
{
    public static readonly ControlSetup None = new(TrainingPolicies.None, new LearningRateSchedule(ScheduleKind.Constant, 0, 1, 0));

    /// <summary>Divergence detection and rollback (<see cref="Rollbacks"/>); off by default.</summary>
    public Settings.DivergenceSettings Divergence { get; init; } = Settings.DivergenceSettings.Off;
}
