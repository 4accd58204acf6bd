using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ActorTrain.Core.Export;
using ActorTrain.Core.Parameters;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Export;

/// <summary>The safetensors writer against the format's definition, byte for byte.</summary>
public sealed class SafetensorsWriterTests
{
    private static readonly ParameterLayout Tiny = new([("w", [2L, 1L]), ("b", [1L])]);

    private static byte[] Write(ParameterLayout layout, float[] weights, Dictionary<string, string> metadata)
    {
        using var file = new MemoryStream();
        SafetensorsWriter.Write(file, layout, weights, metadata);
        return file.ToArray();
    }

    [Fact]
    public void A_file_is_the_length_the_space_padded_json_header_and_the_little_endian_floats()
    {
        var file = Write(Tiny, [1f, -2f, 0.5f], new() { ["format"] = "pt" });

        const string json = """{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";
        Assert.Equal(141, json.Length);
        var header = json + "   "; // 141 + 3 = 144, a multiple of 8
        Assert.Equal(144UL, BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal(header, Encoding.UTF8.GetString(file, 8, 144));
        Assert.Equal(Convert.FromHexString("0000803f000000c00000003f"), file[(8 + 144)..]);
    }

    [Fact]
    public void Without_metadata_the_header_has_no_metadata_entry()
    {
        var file = Write(Tiny, [1f, -2f, 0.5f], []);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal("""{"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}  """,
            Encoding.UTF8.GetString(file, 8, length));
    }

    [Fact]
    public void For_any_metadata_the_data_starts_8_byte_aligned_and_the_header_is_json_then_spaces()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 40], Gen.String[0, 40]).Sample((key, value) =>
        {
            var file = Write(Tiny, [1f, -2f, 0.5f], new() { ["k" + key] = value });
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
            Assert.Equal(0, length % 8);
            var header = Encoding.UTF8.GetString(file, 8, length);
            var end = header.TrimEnd(' ');
            Assert.True(header.Length - end.Length < 8, "more padding than alignment needs");
            using var parsed = JsonDocument.Parse(end);
            Assert.Equal(value, parsed.RootElement.GetProperty(SafetensorsWriter.MetadataKey).GetProperty("k" + key).GetString());
            Assert.Equal(8 + length + 12, file.Length);
        });
    }

    [Fact]
    public void Weights_that_do_not_match_the_layout_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Write(Tiny, [1f, 2f], []));
    }

    [Fact]
    public void A_tensor_named_like_the_metadata_entry_is_refused()
    {
        var layout = new ParameterLayout([(SafetensorsWriter.MetadataKey, [1L])]);
        Assert.Throws<ArgumentException>(() => Write(layout, [1f], []));
    }
}
