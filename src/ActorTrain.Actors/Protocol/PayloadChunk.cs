using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Sender → receiver: one piece of a wire message too large for one Akka.Remote frame (a <see cref="PushGradients"/>
/// or <see cref="ShardWeights"/> whose payload exceeds actortrain.wire.chunk-size). The message is serialized, cut
/// into <see cref="Count"/> pieces of <see cref="TotalLength"/> bytes in all (<see cref="Core.Wire.ChunkPlan"/>), and
/// reassembled per (<see cref="Sender"/>, <see cref="Incarnation"/>, <see cref="ShardId"/>, <see cref="Seq"/>) by the
/// receiver (<see cref="Wire.ChunkReceiver"/>), which then handles the whole <see cref="Manifest"/> message as if it
/// had come in one piece. For a push the key is the push's own (worker, incarnation, shard, seq), so a resend can
/// fill an earlier send's holes; for weights the shard numbers its transfers. <see cref="ShardId"/> also routes the
/// chunk to its shard. The serializer checksums each chunk (header and bytes) and marks a mismatch in
/// <see cref="Damage"/>; the whole message keeps its own payload checksum inside. No reply of its own: the whole
/// message's replies, or, for a chunk that cannot be used, what its receiver does with a damaged message of that
/// kind (a <see cref="PushRejected"/> to resend, a new pull). <see cref="Bytes"/> is a slice of the serialized whole
/// on the sending side (no copy per chunk) and its own array on the receiving side.
/// </summary>
[MessagePackFormatter(typeof(Serialization.PayloadChunkFormatter))]
public sealed record PayloadChunk(
    int ShardId,
    string Sender,
    long Incarnation,
    long Seq,
    string Manifest,
    int Index,
    int Count,
    long TotalLength,
    ReadOnlyMemory<byte> Bytes) : IShardMessage
{
    /// <summary>
    /// Room in a frame for everything but a chunk's bytes (its header, Akka's envelope and actor paths), and for
    /// everything but the payload of a message sent whole: chunk-size plus this must fit maximum-frame-size.
    /// </summary>
    public const int HeaderAllowance = 4096;

    /// <summary>Why the received chunk cannot be trusted (set only by the serializer), or null.</summary>
    public string? Damage { get; init; }
}
