using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → shard, in a rollback (<see cref="RolledBack"/>): go back to the shard's snapshot of checkpoint
/// <see cref="CheckpointId"/> (0: the initial weights), drop every step collecting and pull waiting, refuse from now on
/// every push of the <see cref="Fenced"/> incarnations and older, and save the result as the shard's newest snapshot.
/// Reply: <see cref="ShardRolledBack"/> once that snapshot is written. Idempotent: the coordinator asks again until it is
/// answered, and a repeat after the rollback's first answer changes nothing.
/// </summary>
[MessagePackObject]
public sealed record RestoreCheckpoint(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long CheckpointId,
    [property: Key(2)] int Rollback,
    [property: Key(3)] IReadOnlyDictionary<string, long> Fenced) : IShardMessage;
