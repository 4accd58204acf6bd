using ActorTrain.Torch.Codecs;
using Xunit;

namespace ActorTrain.Torch.Tests.Codecs;

public sealed class PayloadCodecTests
{
    private static readonly float[] Values = [0f, -0f, 1f, -2.5f, 3.1415927f, 1e-20f, 65504f, float.MaxValue, float.Epsilon, 123456.78f];

    [Fact]
    public void F32_is_the_raw_little_endian_floats_and_round_trips_exactly()
    {
        var bytes = PayloadCodec.Encode(Values, PayloadEncoding.F32);
        Assert.Equal(Values.Length * 4, bytes.Length);
        Assert.Equal(BitConverter.GetBytes(-2.5f), bytes[12..16]);
        Assert.Equal(Values, PayloadCodec.Decode(bytes, PayloadEncoding.F32));
    }

    [Fact]
    public void Bf16_keeps_the_top_16_bits_rounded_to_nearest_even()
    {
        var decoded = PayloadCodec.Decode(PayloadCodec.Encode(Values, PayloadEncoding.Bf16), PayloadEncoding.Bf16);
        Assert.Equal([0f, -0f, 1f, -2.5f], decoded[..4]);
        Assert.Equal(3.140625f, decoded[4]); // 0x40490FDB rounds to 0x4049
        foreach (var i in new[] { 2, 3, 4, 5, 6, 9 })
            Assert.True(Math.Abs(decoded[i] - Values[i]) <= Math.Abs(Values[i]) / 256, $"{Values[i]} came back as {decoded[i]}");
        Assert.Equal(float.PositiveInfinity, decoded[7]); // float.MaxValue rounds up past bf16's largest finite value
        Assert.Equal(0f, decoded[8]);                     // the smallest subnormal rounds to zero
        Assert.Equal(2 * Values.Length, PayloadCodec.Encode(Values, PayloadEncoding.Bf16).Length);
    }

    [Fact]
    public void F16_round_trips_through_half_precision()
    {
        var decoded = PayloadCodec.Decode(PayloadCodec.Encode(Values, PayloadEncoding.F16), PayloadEncoding.F16);
        for (var i = 0; i < Values.Length; i++) Assert.Equal((float)(Half)Values[i], decoded[i]);
    }

    [Fact]
    public void The_checksum_changes_when_one_bit_does()
    {
        var bytes = PayloadCodec.Encode(Values, PayloadEncoding.F32);
        var before = PayloadCodec.Checksum(bytes);
        bytes[17] ^= 0x10;
        Assert.NotEqual(before, PayloadCodec.Checksum(bytes));
    }

    [Fact]
    public void Decoding_into_the_wrong_length_is_refused()
    {
        var bytes = PayloadCodec.Encode(Values, PayloadEncoding.F32);
        Assert.Throws<ArgumentException>(() => PayloadCodec.Decode(bytes, PayloadEncoding.F32, new float[Values.Length + 1]));
    }
}
