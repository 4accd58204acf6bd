using ActorTrain.Torch.Codecs;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// A float vector on the wire: a small header (encoding, element count, checksum) and the raw little-endian
/// bytes. The serializer writes the bytes as one MessagePack bin field, so they are copied, never converted.
/// </summary>
[MessagePackObject]
public sealed record TensorPayload(
    [property: Key(0)] PayloadEncoding Encoding,
    [property: Key(1)] int ElementCount,
    [property: Key(2)] ulong Checksum,
    [property: Key(3)] byte[] Bytes) : IWireMessage
{
    public static TensorPayload Encode(ReadOnlySpan<float> values, PayloadEncoding encoding)
    {
        var bytes = PayloadCodec.Encode(values, encoding);
        return new TensorPayload(encoding, values.Length, PayloadCodec.Checksum(bytes), bytes);
    }

    /// <summary>Null when the payload is intact; otherwise the reason to reject it.</summary>
    public string? Problem(int expectedElements)
    {
        if (ElementCount != expectedElements) return $"payload holds {ElementCount} elements, expected {expectedElements}";
        if (Bytes.Length != ElementCount * PayloadCodec.BytesPerElement(Encoding))
            return $"payload has {Bytes.Length} bytes, {ElementCount} {Encoding} elements need {ElementCount * PayloadCodec.BytesPerElement(Encoding)}";
        if (PayloadCodec.Checksum(Bytes) != Checksum) return "payload checksum mismatch";
        return null;
    }

    public void DecodeInto(Span<float> destination) => PayloadCodec.Decode(Bytes, Encoding, destination);
}
