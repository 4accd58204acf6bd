using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Shard → coordinator: my snapshot for checkpoint <see cref="CheckpointId"/>, at <see cref="Version"/>, is durable. No reply.</summary>
[MessagePackObject]
public sealed record CheckpointTaken([property: Key(0)] int ShardId, [property: Key(1)] long CheckpointId, [property: Key(2)] long Version) : IWireMessage;
