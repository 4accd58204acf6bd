using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → a worker, the first time this shard instance hears from it: "I started at <see cref="Version"/>" (from my
/// last snapshot, or from scratch). If the worker's upstream backup holds pushes to this shard, they may be missing
/// here (the instance before this one applied them and died before a snapshot covered them), so the worker sends
/// them again; the shard's dedup table drops those its snapshot already holds. No reply.
/// </summary>
[MessagePackObject]
public sealed record ShardStarted(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long Version) : IWireMessage;
