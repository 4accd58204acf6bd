using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ActorTrain.Cli.Tests.Export;

/// <summary>
/// A reader written from the safetensors format's definition alone, sharing no code with the writer; it asserts every
/// rule as it reads: an 8-byte little-endian header length, a JSON object header starting with '{' and padded with
/// spaces only to a multiple of 8 bytes, an optional string-to-string <c>__metadata__</c>, unique tensor names, F32
/// tensors whose byte ranges match their shapes and tile the data section from 0 to its end, little-endian values.
/// </summary>
internal sealed record SafetensorsFile(
    int HeaderLength,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<SafetensorsFile.Tensor> Tensors,
    byte[] Data)
{
    internal sealed record Tensor(string Name, long[] Shape, long Begin, long End, float[] Values);

    public static SafetensorsFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= 8, "shorter than the 8-byte header length");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.True(length <= (ulong)(bytes.Length - 8), $"header length {length} runs past the end of the file");
        var headerLength = (int)length;
        Assert.Equal(0, (8 + headerLength) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
        Assert.StartsWith("{", header);
        var json = header.TrimEnd(' ');
        Assert.EndsWith("}", json);
        Assert.True(header.Length - json.Length < 8, "padding beyond what 8-byte alignment needs");
        var data = bytes[(8 + headerLength)..];

        using var document = JsonDocument.Parse(json);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<Tensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            Assert.True(names.Add(entry.Name), $"'{entry.Name}' appears twice in the header");
            if (entry.Name == "__metadata__")
            {
                foreach (var item in entry.Value.EnumerateObject())
                {
                    Assert.Equal(JsonValueKind.String, item.Value.ValueKind);
                    metadata[item.Name] = item.Value.GetString()!;
                }
                continue;
            }
            Assert.Equal("F32", entry.Value.GetProperty("dtype").GetString());
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            Assert.Equal(2, offsets.Length);
            var (begin, end) = (offsets[0], offsets[1]);
            Assert.Equal(shape.Aggregate(1L, (a, b) => a * b) * 4, end - begin);
            Assert.InRange(end, begin, data.Length);
            var values = new float[(end - begin) / 4];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan((int)begin + 4 * i, 4));
            tensors.Add(new Tensor(entry.Name, shape, begin, end, values));
        }

        // The byte ranges, in offset order, cover the data section exactly: no gap, no overlap, nothing after.
        var next = 0L;
        foreach (var t in tensors.OrderBy(t => t.Begin))
        {
            Assert.Equal(next, t.Begin);
            next = t.End;
        }
        Assert.Equal(data.Length, next);
        return new SafetensorsFile(headerLength, metadata, tensors, data);
    }
}
