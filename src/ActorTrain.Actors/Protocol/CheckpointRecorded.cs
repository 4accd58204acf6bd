using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → job observer: every shard's snapshot of checkpoint <see cref="Id"/> is durable, so
/// the checkpoint is complete and a resume may start from it. Shard N's snapshot is in the snapshot store under
/// <c>&lt;run-id&gt;/shard-N/checkpoints</c>, sequence number <see cref="Id"/>, at version <see cref="ShardVersions"/>[N].
/// <see cref="TrainingSeconds"/> is the job's training time when it completed.
/// </summary>
[MessagePackObject]
public sealed record CheckpointRecorded(
    [property: Key(0)] long Id,
    [property: Key(1)] long Updates,
    [property: Key(2)] double TrainingSeconds,
    [property: Key(3)] long[] ShardVersions) : ICoordinatorEvent;
