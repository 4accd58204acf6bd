using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → shard: snapshot your applied state for checkpoint <see cref="CheckpointId"/> when your version is
/// <see cref="AtVersion"/> (now if it is; before applying the next update if it is ahead), or at once with
/// <see cref="AnyVersion"/>. Replies: <see cref="CheckpointTaken"/> once the snapshot is durable, or
/// <see cref="CheckpointRefused"/> (already past that version, or the write failed).
/// </summary>
[MessagePackObject]
public sealed record TakeCheckpoint(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long CheckpointId,
    [property: Key(2)] long AtVersion) : IShardMessage
{
    /// <summary>Whatever version the shard is at when asked (the asynchronous modes).</summary>
    public const long AnyVersion = -1;
}
