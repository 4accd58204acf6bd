using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using ActorTrain.Actors.Protocol;
using MessagePack;
using MessagePack.Formatters;

namespace ActorTrain.Actors.Serialization;

/// <summary>
/// Writes a chunk as a MessagePack array [shard, sender, incarnation, seq, manifest, index, count, total length,
/// checksum, bytes]. The checksum (XxHash3) covers the header fields and the bytes, so a damaged index or length
/// is caught like damaged data; a mismatch marks the chunk damaged instead of failing, so its receiver can answer.
/// </summary>
public sealed class PayloadChunkFormatter : IMessagePackFormatter<PayloadChunk>
{
    private const int Fields = 10;

    public void Serialize(ref MessagePackWriter writer, PayloadChunk value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(Fields);
        writer.Write(value.ShardId);
        writer.Write(value.Sender);
        writer.Write(value.Incarnation);
        writer.Write(value.Seq);
        writer.Write(value.Manifest);
        writer.Write(value.Index);
        writer.Write(value.Count);
        writer.Write(value.TotalLength);
        var checksum = Checksum(value);
        // A chunk that arrived damaged stays damaged when passed on: its checksum is written inverted.
        writer.Write(value.Damage is null ? checksum : ~checksum);
        writer.Write(value.Bytes.Span);
    }

    public PayloadChunk Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.ReadArrayHeader() != Fields) throw new MessagePackSerializationException($"a payload chunk has {Fields} fields");
        var chunk = new PayloadChunk(reader.ReadInt32(), reader.ReadString() ?? "", reader.ReadInt64(), reader.ReadInt64(), reader.ReadString() ?? "",
            reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), ReadOnlyMemory<byte>.Empty);
        var checksum = reader.ReadUInt64();
        chunk = chunk with { Bytes = reader.ReadBytes() is { } sequence ? sequence.ToArray() : ReadOnlyMemory<byte>.Empty };
        var actual = Checksum(chunk);
        return actual == checksum ? chunk : chunk with { Damage = $"chunk checksum mismatch (sent {checksum:x16}, received chunk hashes to {actual:x16})" };
    }

    private static ulong Checksum(PayloadChunk chunk)
    {
        Span<byte> numbers = stackalloc byte[36];
        BinaryPrimitives.WriteInt32LittleEndian(numbers, chunk.ShardId);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[4..], chunk.Incarnation);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[12..], chunk.Seq);
        BinaryPrimitives.WriteInt32LittleEndian(numbers[20..], chunk.Index);
        BinaryPrimitives.WriteInt32LittleEndian(numbers[24..], chunk.Count);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[28..], chunk.TotalLength);
        var hash = new XxHash3();
        hash.Append(numbers);
        // The strings with their lengths, so ("ab", "c") and ("a", "bc") hash apart.
        hash.Append(Encoding.UTF8.GetBytes($"{chunk.Sender.Length}:{chunk.Sender}{chunk.Manifest.Length}:{chunk.Manifest}"));
        hash.Append(chunk.Bytes.Span);
        return hash.GetCurrentHashAsUInt64();
    }
}
