using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → each worker that pushed to it: a snapshot at <see cref="Version"/> is durable, and the shard's fallback
/// snapshot (the oldest whole one it keeps: the one it loads should every newer one be damaged) covers the pushes in
/// <see cref="Covered"/> (the worker's dedup row in it), so the worker may drop them from its upstream backup. No reply.
/// </summary>
[MessagePackObject]
public sealed record ShardSnapshotted(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long Version,
    [property: Key(2)] DedupRow Covered) : IWireMessage;
