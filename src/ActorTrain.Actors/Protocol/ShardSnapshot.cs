using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// A parameter shard's durable state, written to the snapshot store through the wire serializer: its weights
/// and optimizer state (f32, exact), its version, and its dedup table. It holds only what is applied: BSP steps
/// still collecting are not in it, and neither are their pushes in the dedup table, so workers replay them.
/// Moment buffers are null when the optimizer keeps none. <see cref="Mode"/> and <see cref="Staleness"/> are the consistency
/// the shard ran when it was taken (a live switch may have changed it since the job started; null: the job's initial mode).
/// <see cref="Rates"/> are the learning-rate changes it held (<see cref="SetLearningRates"/>; null: none), <see cref="Rollback"/> the last
/// divergence rollback it carried out (<see cref="RestoreCheckpoint"/>).
/// </summary>
[MessagePackObject]
public sealed record ShardSnapshot(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long Version,
    [property: Key(2)] TensorPayload Weights,
    [property: Key(3)] TensorPayload? First,
    [property: Key(4)] TensorPayload? Second,
    [property: Key(5)] bool Started,
    [property: Key(6)] long Steps,
    [property: Key(7)] DedupRow[] Dedup,
    [property: Key(8)] string? Mode = null,
    [property: Key(9)] int Staleness = 0,
    [property: Key(10)] LearningRateChanged[]? Rates = null,
    [property: Key(11)] int Rollback = 0) : IWireMessage;
