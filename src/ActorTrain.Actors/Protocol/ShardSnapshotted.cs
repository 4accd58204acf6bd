using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → each worker that pushed to it: a snapshot at <see cref="Version"/> is durable and covers the pushes in
/// <see cref="Covered"/> (the worker's dedup row), so the worker may drop them from its upstream backup. No reply.
/// </summary>
[MessagePackObject]
public sealed record ShardSnapshotted(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long Version,
    [property: Key(2)] DedupRow Covered) : IWireMessage;
