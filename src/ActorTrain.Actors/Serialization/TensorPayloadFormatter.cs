using System.Buffers;
using ActorTrain.Actors.Protocol;
using ActorTrain.Torch.Codecs;
using MessagePack;
using MessagePack.Formatters;

namespace ActorTrain.Actors.Serialization;

/// <summary>
/// Writes a tensor payload as a MessagePack array [encoding, count, checksum, bytes]: the header is a few
/// bytes and the tensor data one bin field, copied as is. Reading recomputes the checksum; a mismatch
/// marks the payload damaged instead of failing the whole message, so its receiver can answer with a reason.
/// Inside <see cref="ActorTrainSerializer"/> the bytes are not written here but copied once into the final array by
/// <see cref="PayloadDeferringWriter"/>; read back, they are copied once into an array that is not zeroed first.
/// </summary>
public sealed class TensorPayloadFormatter : IMessagePackFormatter<TensorPayload>
{
    public void Serialize(ref MessagePackWriter writer, TensorPayload? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil(); // an optional payload (a snapshot's moment buffer for an optimizer without one)
            return;
        }
        writer.WriteArrayHeader(4);
        writer.Write((byte)value.Encoding);
        writer.Write(value.ElementCount);
        var checksum = PayloadCodec.Checksum(value.Bytes);
        // A payload that arrived damaged stays damaged when passed on: its checksum is written inverted.
        writer.Write(value.Damage is null ? checksum : ~checksum);
        if (PayloadDeferringWriter.Active is { } deferring) deferring.Defer(ref writer, value.Bytes);
        else writer.Write(value.Bytes);
    }

    public TensorPayload Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil()) return null!;
        if (reader.ReadArrayHeader() != 4) throw new MessagePackSerializationException("a tensor payload has 4 fields");
        var encoding = (PayloadEncoding)reader.ReadByte();
        var count = reader.ReadInt32();
        var checksum = reader.ReadUInt64();
        var bytes = reader.ReadBytes() is { } sequence ? CopyOut(sequence) : [];
        var actual = PayloadCodec.Checksum(bytes);
        return new TensorPayload(encoding, count, bytes)
        {
            Damage = actual == checksum ? null : $"payload checksum mismatch (sent {checksum:x16}, received bytes hash to {actual:x16})",
        };
    }

    private static byte[] CopyOut(in ReadOnlySequence<byte> sequence)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)sequence.Length)); // every byte is copied in below
        sequence.CopyTo(bytes);
        return bytes;
    }
}
