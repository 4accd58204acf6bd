using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → coordinator, the answer to <see cref="SetConsistency"/>: the shard runs the new mode from <see cref="Version"/>,
/// and a snapshot holding it was written (<see cref="Durable"/>), so a restart brings the shard back in that mode; or the
/// write failed (durability degraded, as after any failed snapshot) and the shard serves on. No reply.
/// </summary>
[MessagePackObject]
public sealed record ConsistencySet([property: Key(0)] int ShardId, [property: Key(1)] long Version, [property: Key(2)] bool Durable) : IWireMessage;
