using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → worker: the push is applied (ASP), or taken into its step, which is then applied (BSP: sent once
/// the step is applied). <see cref="Duplicate"/> marks the ack of a resend that was not applied again.
/// </summary>
[MessagePackObject]
public sealed record GradientsApplied(
    [property: Key(0)] int ShardId,
    [property: Key(1)] string WorkerId,
    [property: Key(2)] long Incarnation,
    [property: Key(3)] long Seq,
    [property: Key(4)] long Version,
    [property: Key(5)] bool Duplicate) : IWireMessage;
