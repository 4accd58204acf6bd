using System.Text;
using ActorTrain.Core.Export;
using ActorTrain.Core.Parameters;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Export;

/// <summary>The safetensors reader: it reads back what the writer writes, in any tensor order, and refuses a file of another model.</summary>
public sealed class SafetensorsReaderTests
{
    private static readonly ParameterLayout Tiny = new([("w", [2L, 1L]), ("b", [1L])]);

    private static MemoryStream Written(ParameterLayout layout, float[] weights)
    {
        var file = new MemoryStream();
        SafetensorsWriter.Write(file, layout, weights, new Dictionary<string, string> { ["format"] = "pt" });
        file.Position = 0;
        return file;
    }

    /// <summary>A file written by hand: an 8-byte length, the JSON header, the data.</summary>
    private static MemoryStream Handmade(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new MemoryStream();
        file.Write(BitConverter.GetBytes((ulong)header.Length));
        file.Write(header);
        file.Write(data);
        file.Position = 0;
        return file;
    }

    [Fact]
    public void What_the_writer_writes_reads_back_bit_for_bit()
    {
        Gen.Float.Array[3].Sample(weights =>
        {
            var read = SafetensorsReader.Read(Written(Tiny, weights), Tiny);
            Assert.Equal(weights.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
        });
    }

    [Fact]
    public void Tensors_in_another_order_land_at_their_own_offsets()
    {
        // b first in the file, then w: 0.5, then 1, -2.
        var file = Handmade("""{"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[2,1],"data_offsets":[4,12]}}""",
            Convert.FromHexString("0000003f0000803f000000c0"));
        Assert.Equal([1f, -2f, 0.5f], SafetensorsReader.Read(file, Tiny));
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}""", "missing: b")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"c":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", "not in the model: c")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", "tensor w is [1,2], the model's is [2,1]")]
    [InlineData("""{"w":{"dtype":"F16","shape":[2,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "tensor w is F16; only F32 is read")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,16]}}""", "tensor b's byte range [8, 16] does not hold its 1 values")]
    public void A_file_of_another_model_is_refused_with_what_does_not_fit(string json, string why)
    {
        var refused = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(Handmade(json, new byte[12]), Tiny, "model.safetensors"));
        Assert.StartsWith("model.safetensors cannot be read as this model's weights: ", refused.Message);
        Assert.Contains(why, refused.Message);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var refused = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Read(new MemoryStream([1, 2, 3]), Tiny));
        Assert.Contains("shorter than the 8-byte header length", refused.Message);
    }
}
