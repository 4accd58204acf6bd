using ActorTrain.Torch.Codecs;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// A float vector on the wire: encoding, element count and the raw little-endian bytes. The serializer
/// (<see cref="Serialization.TensorPayloadFormatter"/>) adds a checksum of the bytes when it writes them and
/// checks it when it reads them, so a payload damaged in transit arrives with <see cref="Damage"/> set and is
/// rejected, never applied. In-process messages are never serialized and pay for no checksum.
/// </summary>
[MessagePackFormatter(typeof(Serialization.TensorPayloadFormatter))]
public sealed record TensorPayload(PayloadEncoding Encoding, int ElementCount, byte[] Bytes) : IWireMessage
{
    /// <summary>Why the received bytes cannot be trusted (set only by the serializer), or null.</summary>
    public string? Damage { get; init; }

    public static TensorPayload Encode(ReadOnlySpan<float> values, PayloadEncoding encoding) =>
        new(encoding, values.Length, PayloadCodec.Encode(values, encoding));

    /// <summary>Null when the payload is intact and holds <paramref name="expectedElements"/> elements; otherwise the reason to reject it.</summary>
    public string? Problem(int expectedElements)
    {
        if (Damage != null) return Damage;
        if (!Enum.IsDefined(Encoding)) return $"unknown payload encoding {(int)Encoding}";
        if (ElementCount != expectedElements) return $"payload holds {ElementCount} elements, expected {expectedElements}";
        var needed = (long)ElementCount * PayloadCodec.BytesPerElement(Encoding);
        return Bytes.Length == needed ? null : $"payload has {Bytes.Length} bytes, {ElementCount} {Encoding} elements need {needed}";
    }

    public void DecodeInto(Span<float> destination) => PayloadCodec.Decode(Bytes, Encoding, destination);
}
