using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ActorTrain.Core.Parameters;

namespace ActorTrain.Core.Export;

/// <summary>
/// Reads the weights of a safetensors file into a job's flat parameter vector: every tensor of
/// <see cref="ParameterLayout"/> must be in the file under its name, in F32 with its shape, and the file must hold no
/// other tensor (a different model). Anything else is refused with what does not fit (<see cref="InvalidDataException"/>).
/// Order in the file does not matter; the result is in the layout's canonical order.
/// </summary>
public static class SafetensorsReader
{
    public static float[] Read(Stream source, ParameterLayout layout, string name = "the file")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(layout);
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.Length < 8) throw Bad(name, "it is shorter than the 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw Bad(name, $"its header length {headerLength} runs past the end of the file");
        var data = bytes[(8 + (int)headerLength)..];
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes.Slice(8, (int)headerLength)).TrimEnd(' '));
        }
        catch (JsonException e)
        {
            throw Bad(name, $"its header is not JSON ({e.Message})");
        }
        using (header)
        {
            var entries = header.RootElement.EnumerateObject().Where(e => e.Name != SafetensorsWriter.MetadataKey).ToDictionary(e => e.Name, e => e.Value);
            var expected = layout.Tensors.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var missing = layout.Tensors.Where(t => !entries.ContainsKey(t.Name)).Select(t => t.Name).ToList();
            var extra = entries.Keys.Where(k => !expected.Contains(k)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                throw Bad(name, "its tensors are not this model's" + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "")
                                + (extra.Count > 0 ? $"; not in the model: {string.Join(", ", extra)}" : ""));
            var weights = new float[layout.TotalLength];
            foreach (var tensor in layout.Tensors)
            {
                var entry = entries[tensor.Name];
                var dtype = entry.GetProperty("dtype").GetString();
                if (dtype != "F32") throw Bad(name, $"tensor {tensor.Name} is {dtype}; only F32 is read");
                var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (!shape.SequenceEqual(tensor.Shape))
                    throw Bad(name, $"tensor {tensor.Name} is [{string.Join(",", shape)}], the model's is [{string.Join(",", tensor.Shape)}]");
                var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
                if (offsets is not [var begin, var end] || begin < 0 || end > data.Length || end - begin != tensor.Length * 4L)
                    throw Bad(name, $"tensor {tensor.Name}'s byte range [{string.Join(", ", offsets)}] does not hold its {tensor.Length} values");
                var slice = data[(int)begin..(int)end];
                for (var i = 0; i < tensor.Length; i++) weights[tensor.Offset + i] = BinaryPrimitives.ReadSingleLittleEndian(slice[(i * 4)..]);
            }
            return weights;
        }
    }

    private static InvalidDataException Bad(string name, string why) => new($"{name} cannot be read as this model's weights: {why}");
}
