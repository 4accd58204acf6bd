using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → job observer: training is over and the final evaluation is in. <see cref="TrainingSeconds"/>
/// runs from the first worker's request for work to the last commit; <see cref="WallSeconds"/> also includes the final evaluation.
/// <see cref="ShardNodes"/> says which node held each shard at the end; <see cref="Snapshots"/> and
/// <see cref="SnapshotFailures"/> sum the shards' durable snapshots and failed snapshot writes. <see cref="StoppedEarly"/> says
/// why training ended before its planned epochs (an early-stopping policy, <c>actortrain ctl stop</c>); null when it did not.
/// <see cref="RateChanges"/>: every learning-rate change in force at the end, as the coordinator's journal holds them
/// (the output may lack one whose coordinator died before printing it). <see cref="BestCheckpoint"/>: the checkpoint with the best evaluation by the policies' watched metric (null without a
/// policy, or before one was complete). <see cref="Resumable"/>: stopped by <c>actortrain ctl stop</c> after a complete checkpoint, which <c>actortrain resume</c> goes on from.
/// <see cref="Rollbacks"/>: the divergence rollbacks, in order; <see cref="Diverged"/>: why the run stopped when it diverged once more than
/// max-rollbacks allows (null otherwise). <see cref="NonFiniteRefused"/>: pushes the shards refused for a non-finite gradient.
/// <see cref="RestoredBest"/>: the checkpoint an early stop with restore-best went back to before the final evaluation (0: none).
/// </summary>
[MessagePackObject]
public sealed record JobCompleted(
    [property: Key(0)] int Epochs,
    [property: Key(1)] long Updates,
    [property: Key(2)] long Samples,
    [property: Key(3)] double WallSeconds,
    [property: Key(4)] ParametersEvaluated Final,
    [property: Key(5)] long ReissuedMicroBatches,
    [property: Key(6)] double TrainingSeconds,
    [property: Key(7)] long[] AppliedStaleness,
    [property: Key(8)] long[] ClockGapAtPull,
    [property: Key(9)] IReadOnlyDictionary<string, long> MicroBatchesByWorker,
    [property: Key(10)] string FinalMode,
    [property: Key(11)] IReadOnlyDictionary<int, string>? ShardNodes = null,
    [property: Key(12)] long Snapshots = 0,
    [property: Key(13)] long SnapshotFailures = 0,
    [property: Key(14)] string? StoppedEarly = null,
    [property: Key(15)] bool Resumable = false,
    [property: Key(16)] BestCheckpointMarked? BestCheckpoint = null,
    [property: Key(17)] LearningRateChanged[]? RateChanges = null,
    [property: Key(18)] string? Diverged = null,
    [property: Key(19)] RolledBack[]? Rollbacks = null,
    [property: Key(20)] long NonFiniteRefused = 0,
    [property: Key(21)] long RestoredBest = 0) : IWireMessage;
