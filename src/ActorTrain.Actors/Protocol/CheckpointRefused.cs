using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Shard → coordinator: no snapshot for checkpoint <see cref="CheckpointId"/>, and why; the checkpoint stays incomplete. No reply.</summary>
[MessagePackObject]
public sealed record CheckpointRefused([property: Key(0)] int ShardId, [property: Key(1)] long CheckpointId, [property: Key(2)] string Reason) : IWireMessage;
