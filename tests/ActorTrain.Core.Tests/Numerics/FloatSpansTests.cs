using ActorTrain.Core.Numerics;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Numerics;

public sealed class FloatSpansTests
{
    /// <summary>Every length 0..67 crosses the vector body and every tail length for 128-, 256- and 512-bit vectors.</summary>
    public static TheoryData<int> Lengths => [.. Enumerable.Range(0, 68)];

    /// <summary>Any float bit pattern, biased towards NaN, infinities, extremes and zeros.</summary>
    private static readonly Gen<float> AnyFloat = Gen.Frequency(
        (3, Gen.Float),
        (1, Gen.Float.Special),
        (1, Gen.Int.Select(BitConverter.Int32BitsToSingle)));

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AddInto_equals_a_scalar_loop_bit_for_bit(int length) =>
        Gen.Select(AnyFloat.Array[length], AnyFloat.Array[length], Gen.Int[0, 3]).Sample((destination, source, offset) =>
        {
            var expected = (float[])destination.Clone();
            for (var i = 0; i < length; i++) expected[i] += source[i];

            // An offset into a larger array moves the span off vector alignment.
            var padded = new float[length + offset];
            destination.CopyTo(padded, offset);
            FloatSpans.AddInto(padded.AsSpan(offset, length), source);

            var bothNaN = Enumerable.Range(0, length).Select(i => float.IsNaN(destination[i]) && float.IsNaN(source[i])).ToArray();
            Assert.Equal(Bits(expected, bothNaN), Bits(padded.AsSpan(offset, length).ToArray(), bothNaN));
        }, iter: 40);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Scale_equals_a_scalar_loop_bit_for_bit(int length) =>
        Gen.Select(AnyFloat.Array[length], AnyFloat, Gen.Int[0, 3]).Sample((values, factor, offset) =>
        {
            var expected = (float[])values.Clone();
            for (var i = 0; i < length; i++) expected[i] *= factor;

            var padded = new float[length + offset];
            values.CopyTo(padded, offset);
            FloatSpans.Scale(padded.AsSpan(offset, length), factor);

            var bothNaN = values.Select(v => float.IsNaN(v) && float.IsNaN(factor)).ToArray();
            Assert.Equal(Bits(expected, bothNaN), Bits(padded.AsSpan(offset, length).ToArray(), bothNaN));
        }, iter: 40);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Difference_equals_a_scalar_loop_bit_for_bit(int length) =>
        Gen.Select(AnyFloat.Array[length], AnyFloat.Array[length], Gen.Int[0, 3]).Sample((minuend, subtrahend, offset) =>
        {
            var expected = new float[length];
            for (var i = 0; i < length; i++) expected[i] = minuend[i] - subtrahend[i];

            var padded = new float[length + offset];
            FloatSpans.Difference(minuend, subtrahend, padded.AsSpan(offset, length));

            var bothNaN = Enumerable.Range(0, length).Select(i => float.IsNaN(minuend[i]) && float.IsNaN(subtrahend[i])).ToArray();
            Assert.Equal(Bits(expected, bothNaN), Bits(padded.AsSpan(offset, length).ToArray(), bothNaN));
        }, iter: 40);

    [Fact]
    public void A_pseudo_gradient_is_start_minus_end_weights()
    {
        float[] start = [1f, -2f, 0.5f], end = [0.75f, -1.5f, 0.5f];
        var delta = new float[3];

        FloatSpans.Difference(start, end, delta);

        Assert.Equal([0.25f, -0.5f, 0f], delta);
        Assert.Throws<ArgumentException>(() => FloatSpans.Difference(start, end, new float[2]));
    }

    [Fact]
    public void AddInto_leaves_the_source_untouched()
    {
        float[] destination = [1f, 2f, 3f], source = [10f, 20f, 30f];

        FloatSpans.AddInto(destination, source);

        Assert.Equal([11f, 22f, 33f], destination);
        Assert.Equal([10f, 20f, 30f], source);
    }

    [Fact]
    public void AddInto_rejects_spans_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => FloatSpans.AddInto(new float[3], new float[4]));

    [Theory]
    [MemberData(nameof(Lengths))]
    public void HasNonFinite_finds_NaN_and_infinity_at_any_position(int length)
    {
        if (length == 0) return;
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(-1) })
            for (var position = 0; position < length; position++)
            {
                var values = Enumerable.Range(0, length).Select(i => (float)i).ToArray();
                values[position] = bad;
                Assert.True(FloatSpans.HasNonFinite(values), $"{bad} at {position} of {length} not found");
            }
    }

    [Fact]
    public void HasNonFinite_is_false_for_finite_values_including_extremes_and_for_no_values()
    {
        Assert.False(FloatSpans.HasNonFinite([]));
        Assert.False(FloatSpans.HasNonFinite(
            [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f, 1f, -1f]));
    }

    [Fact]
    public void HasNonFinite_agrees_with_float_IsFinite_for_any_values() =>
        AnyFloat.Array[0, 80].Sample(values =>
            Assert.Equal(values.Any(v => !float.IsFinite(v)), FloatSpans.HasNonFinite(values)), iter: 500);

    /// <summary>
    /// The bits of each result. Where both operands were NaN, IEEE 754 leaves open which payload survives and the
    /// JIT may swap the operands of a commutative instruction, so there only "is NaN" is compared (as bits 0x7FC00000).
    /// </summary>
    private static int[] Bits(float[] values, bool[] bothOperandsNaN) =>
        [.. values.Select((v, i) => bothOperandsNaN[i] && float.IsNaN(v) ? 0x7FC00000 : BitConverter.SingleToInt32Bits(v))];
}
