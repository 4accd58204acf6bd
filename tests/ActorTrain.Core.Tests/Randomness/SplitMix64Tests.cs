using ActorTrain.Core.Randomness;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Randomness;

public sealed class SplitMix64Tests
{
    private static readonly ulong[] Purposes =
        [RandomPurpose.ValidationSplit, RandomPurpose.EpochShuffle, RandomPurpose.ModelInit, RandomPurpose.SyntheticData];

    [Fact]
    public void Sequence_matches_the_published_SplitMix64_reference_values()
    {
        // Reference outputs of Vigna's splitmix64.c (also java.util.SplittableRandom's mixer) for seeds 0 and 1234567.
        var zero = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, zero.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, zero.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, zero.NextUInt64());

        var other = new SplitMix64(1234567);
        Assert.Equal(6457827717110365317UL, other.NextUInt64());
        Assert.Equal(3203168211198807973UL, other.NextUInt64());
        Assert.Equal(9817491932198370423UL, other.NextUInt64());
        Assert.Equal(4593380528125082431UL, other.NextUInt64());
    }

    [Fact]
    public void Derived_streams_and_shuffles_are_pinned_to_fixed_values()
    {
        // Computed by an independent implementation of the formulas in SplitMix64.cs; a change here reshuffles every run.
        var derived = SplitMix64.For(42, RandomPurpose.EpochShuffle, 3);
        Assert.Equal(0x4CD2A5AB23557A31UL, derived.NextUInt64());
        Assert.Equal(0xCC2E506087A4B15DUL, derived.NextUInt64());

        Assert.Equal([0, 9, 5, 8, 6, 4, 7, 2, 1, 3], new SplitMix64(42).Permutation(10));

        var dice = new SplitMix64(7);
        Assert.Equal([3, 0, 0, 3, 4, 3, 4, 0, 5, 5], Enumerable.Range(0, 10).Select(_ => dice.NextInt(6)));
    }

    [Fact]
    public void Same_seed_gives_the_same_sequence() =>
        Gen.ULong.Sample(seed =>
        {
            SplitMix64 a = new(seed), b = new(seed);
            for (var i = 0; i < 64; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
            for (var i = 0; i < 16; i++)
            {
                Assert.Equal(a.NextInt(1000), b.NextInt(1000));
                Assert.Equal(BitConverter.SingleToInt32Bits(a.NextSingle()), BitConverter.SingleToInt32Bits(b.NextSingle()));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.NextGaussian()), BitConverter.DoubleToInt64Bits(b.NextGaussian()));
            }
            Assert.Equal(a.Permutation(50), b.Permutation(50));
        }, iter: 200);

    [Fact]
    public void Permutation_holds_each_of_0_to_n_minus_1_exactly_once() =>
        Gen.Select(Gen.ULong, Gen.Int[0, 300]).Sample((seed, n) =>
        {
            var permutation = new SplitMix64(seed).Permutation(n);

            Assert.Equal(n, permutation.Length);
            Assert.Equal(Enumerable.Range(0, n), permutation.Order());
        }, iter: 300);

    [Fact]
    public void Permutation_of_a_large_set_is_not_the_identity()
    {
        var permutation = new SplitMix64(1).Permutation(1000);

        Assert.NotEqual(Enumerable.Range(0, 1000), permutation);
    }

    [Fact]
    public void NextInt_stays_within_zero_and_the_bound() =>
        Gen.Select(Gen.ULong, Gen.Int[1, int.MaxValue]).Sample((seed, bound) =>
        {
            var random = new SplitMix64(seed);
            for (var i = 0; i < 32; i++)
            {
                var value = random.NextInt(bound);
                Assert.InRange(value, 0, bound - 1);
            }
        }, iter: 500);

    [Fact]
    public void NextInt_of_one_is_always_zero_and_NextInt_reaches_every_value_of_a_small_bound()
    {
        var random = new SplitMix64(99);
        Assert.All(Enumerable.Range(0, 100).Select(_ => random.NextInt(1)), v => Assert.Equal(0, v));

        var seen = new HashSet<int>();
        for (var i = 0; i < 1000; i++) seen.Add(random.NextInt(10));
        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NextInt_rejects_a_bound_below_one(int bound) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SplitMix64(1).NextInt(bound));

    [Fact]
    public void NextSingle_is_in_0_1_on_a_grid_of_2_to_the_minus_24() =>
        Gen.ULong.Sample(seed =>
        {
            var random = new SplitMix64(seed);
            for (var i = 0; i < 32; i++)
            {
                var value = random.NextSingle();
                Assert.InRange(value, 0f, 1f);
                Assert.NotEqual(1f, value);
                var scaled = value * (1 << 24);
                Assert.Equal(MathF.Floor(scaled), scaled);
            }
        }, iter: 200);

    [Fact]
    public void NextGaussian_is_finite() =>
        Gen.ULong.Sample(seed =>
        {
            var random = new SplitMix64(seed);
            for (var i = 0; i < 32; i++) Assert.True(double.IsFinite(random.NextGaussian()));
        }, iter: 200);

    [Fact]
    public void Streams_for_different_purposes_differ() =>
        Gen.Select(Gen.ULong, Gen.ULong[0, 1000]).Sample((seed, index) =>
        {
            var firsts = Purposes.Select(p => FirstValues(SplitMix64.For(seed, p, index), 8)).ToArray();
            for (var a = 0; a < firsts.Length; a++)
                for (var b = a + 1; b < firsts.Length; b++)
                    Assert.Empty(firsts[a].Intersect(firsts[b]));
        }, iter: 300);

    [Fact]
    public void Streams_for_different_indices_and_seeds_differ() =>
        Gen.Select(Gen.ULong, Gen.ULong[0, 1000]).Sample((seed, index) =>
        {
            var first = FirstValues(SplitMix64.For(seed, RandomPurpose.EpochShuffle, index), 8);

            Assert.Empty(first.Intersect(FirstValues(SplitMix64.For(seed, RandomPurpose.EpochShuffle, index + 1), 8)));
            Assert.Empty(first.Intersect(FirstValues(SplitMix64.For(seed + 1, RandomPurpose.EpochShuffle, index), 8)));
        }, iter: 300);

    [Fact]
    public void For_with_the_same_arguments_gives_the_same_stream() =>
        Gen.Select(Gen.ULong, Gen.ULong, Gen.ULong).Sample((seed, purpose, index) =>
            Assert.Equal(FirstValues(SplitMix64.For(seed, purpose, index), 16), FirstValues(SplitMix64.For(seed, purpose, index), 16)),
            iter: 200);

    private static ulong[] FirstValues(SplitMix64 random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => random.NextUInt64())];
}
