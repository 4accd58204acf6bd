using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → coordinator, the reply to <see cref="RestoreCheckpoint"/>: the shard stands at <see cref="Version"/>, its
/// state in checkpoint <see cref="CheckpointId"/>, for rollback <see cref="Rollback"/>; <see cref="Durable"/> when the
/// snapshot holding it was written (false: the write failed; the coordinator asks again).
/// </summary>
[MessagePackObject]
public sealed record ShardRolledBack(
    [property: Key(0)] int ShardId,
    [property: Key(1)] int Rollback,
    [property: Key(2)] long CheckpointId,
    [property: Key(3)] long Version,
    [property: Key(4)] bool Durable) : IWireMessage;
