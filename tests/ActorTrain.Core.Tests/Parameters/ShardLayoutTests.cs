using ActorTrain.Core.Parameters;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Parameters;

public sealed class ShardLayoutTests
{
    private static readonly Gen<(int Total, int Shards)> TotalAndShards =
        Gen.Int[1, 3000].SelectMany(total => Gen.Int[1, Math.Min(total, 80)].Select(shards => (total, shards)));

    [Fact]
    public void Ranges_are_contiguous_in_order_cover_the_vector_and_differ_in_size_by_at_most_one_larger_first() =>
        TotalAndShards.Sample((total, shards) =>
        {
            var layout = ShardLayout.Balanced(total, shards);

            Assert.Equal(total, layout.TotalLength);
            Assert.Equal(shards, layout.ShardCount);
            Assert.Equal(shards, layout.Ranges.Count);
            var expectedStart = 0;
            for (var s = 0; s < shards; s++)
            {
                var range = layout.Ranges[s];
                Assert.Equal(s, range.ShardId);
                Assert.Equal(expectedStart, range.Start);
                Assert.Equal(range.Start + range.Length, range.End);
                Assert.True(range.Length >= 1, $"shard {s} is empty");
                Assert.Equal(range, layout[s]);
                expectedStart = range.End;
            }
            Assert.Equal(total, expectedStart);

            var sizes = layout.Ranges.Select(r => r.Length).ToArray();
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"sizes {string.Join(",", sizes)} differ by more than one");
            for (var s = 1; s < shards; s++) Assert.True(sizes[s] <= sizes[s - 1], $"shard {s} is larger than shard {s - 1}");
        }, iter: 300);

    [Fact]
    public void ShardOf_agrees_with_the_ranges_for_every_element() =>
        TotalAndShards.Sample((total, shards) =>
        {
            var layout = ShardLayout.Balanced(total, shards);
            foreach (var range in layout.Ranges)
                for (var i = range.Start; i < range.End; i++)
                    Assert.Equal(range.ShardId, layout.ShardOf(i));
        }, iter: 200);

    [Theory]
    [InlineData(10, 3, new[] { 4, 3, 3 })]
    [InlineData(11, 3, new[] { 4, 4, 3 })]
    [InlineData(12, 3, new[] { 4, 4, 4 })]
    [InlineData(5, 5, new[] { 1, 1, 1, 1, 1 })]
    [InlineData(7, 1, new[] { 7 })]
    public void Balanced_puts_the_remainder_on_the_first_shards(int total, int shards, int[] expectedLengths) =>
        Assert.Equal(expectedLengths, ShardLayout.Balanced(total, shards).Ranges.Select(r => r.Length));

    [Fact]
    public void ShardOf_is_exact_at_shard_boundaries_of_a_vector_of_int_MaxValue_elements()
    {
        var layout = ShardLayout.Balanced(int.MaxValue, 7);

        Assert.Equal(int.MaxValue, layout.Ranges[^1].End);
        foreach (var range in layout.Ranges)
        {
            Assert.Equal(range.ShardId, layout.ShardOf(range.Start));
            Assert.Equal(range.ShardId, layout.ShardOf(range.End - 1));
        }
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(10, -1)]
    [InlineData(0, 0)]
    public void Fewer_than_one_shard_is_rejected(int total, int shards) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardLayout.Balanced(total, shards));

    [Theory]
    [InlineData(3, 4)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    public void More_shards_than_elements_is_rejected(int total, int shards) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardLayout.Balanced(total, shards));

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(int.MinValue)]
    public void ShardOf_rejects_an_index_outside_the_vector(int index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardLayout.Balanced(10, 3).ShardOf(index));
}
