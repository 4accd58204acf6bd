using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using ActorTrain.Core.Parameters;

namespace ActorTrain.Core.Export;

/// <summary>
/// Writes a flat f32 weight vector as a safetensors file (the format of Hugging Face's <c>safetensors</c>, which
/// PyTorch loads with <c>safetensors.torch.load_file</c>): an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, padded with spaces to a multiple of 8 bytes, then the raw
/// little-endian data. Tensors are laid out in the layout's canonical order, so the data section is the flat vector
/// itself, byte for byte.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>The header key the format reserves for string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    private const int Alignment = 8;
    private const int BytesPerElement = sizeof(float);

    public static void Write(Stream destination, ParameterLayout layout, ReadOnlySpan<float> weights, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(metadata);
        if (weights.Length != layout.TotalLength)
            throw new ArgumentException($"the weights have {weights.Length} elements, the layout {layout.TotalLength}", nameof(weights));
        var header = Header(layout, metadata);
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        destination.Write(length);
        destination.Write(header);
        WriteLittleEndian(destination, weights);
    }

    /// <summary>The JSON header, UTF-8, padded with spaces so that the data starts 8-byte aligned.</summary>
    public static byte[] Header(ParameterLayout layout, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(metadata);
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal) { MetadataKey };
            foreach (var tensor in layout.Tensors)
            {
                if (!names.Add(tensor.Name)) throw new ArgumentException($"tensor name '{tensor.Name}' is reserved or used twice", nameof(layout));
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (var size in tensor.Shape) writer.WriteNumberValue(size);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue((long)tensor.Offset * BytesPerElement);
                writer.WriteNumberValue((long)(tensor.Offset + tensor.Length) * BytesPerElement);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        var padding = (Alignment - (int)(json.Length % Alignment)) % Alignment;
        for (var i = 0; i < padding; i++) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    private static void WriteLittleEndian(Stream destination, ReadOnlySpan<float> weights)
    {
        if (BitConverter.IsLittleEndian)
        {
            destination.Write(MemoryMarshal.AsBytes(weights));
            return;
        }
        var buffer = new byte[64 * 1024];
        for (var start = 0; start < weights.Length; start += buffer.Length / BytesPerElement)
        {
            var count = Math.Min(buffer.Length / BytesPerElement, weights.Length - start);
            for (var i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * BytesPerElement), weights[start + i]);
            destination.Write(buffer, 0, count * BytesPerElement);
        }
    }
}
