using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → worker: the push was not applied, and why (a bad checksum or length, a stale incarnation).
/// A corrupt payload is worth resending; a stale incarnation is not. <see cref="NonFinite"/>: the gradient held NaN or ±Inf, which
/// a shard never applies; the worker sends a skip marker in its place and reports the micro-batch non-finite.
/// </summary>
[MessagePackObject]
public sealed record PushRejected(
    [property: Key(0)] int ShardId,
    [property: Key(1)] string WorkerId,
    [property: Key(2)] long Incarnation,
    [property: Key(3)] long Seq,
    [property: Key(4)] string Reason,
    [property: Key(5)] bool Resend,
    [property: Key(6)] bool NonFinite = false) : IWireMessage;
