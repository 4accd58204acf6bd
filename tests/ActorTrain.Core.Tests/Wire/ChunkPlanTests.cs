using ActorTrain.Core.Wire;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Wire;

public sealed class ChunkPlanTests
{
    [Theory]
    [InlineData(0, 10, 1)]
    [InlineData(1, 10, 1)]
    [InlineData(10, 10, 1)]
    [InlineData(11, 10, 2)]
    [InlineData(3_000_000, 1 << 20, 3)]
    public void For_takes_the_fewest_chunks_of_at_most_the_maximum(long total, int max, int expected) =>
        Assert.Equal(expected, ChunkPlan.For(total, max).Count);

    [Fact]
    public void Eleven_bytes_in_three_chunks_are_cut_3_4_4()
    {
        var plan = new ChunkPlan(11, 3);

        Assert.Equal([(0L, 3), (3L, 4), (7L, 4)], Enumerable.Range(0, 3).Select(i => (plan.Offset(i), plan.Length(i))));
    }

    [Fact]
    public void Chunks_cover_the_message_contiguously_each_within_the_maximum_and_within_one_byte_of_each_other() =>
        Gen.Select(Gen.Long[0, 50_000_000], Gen.Int[1, 2_000_000]).Sample((total, max) =>
        {
            var plan = ChunkPlan.For(total, max);
            Assert.Equal(Math.Max(1, (total + max - 1) / max), plan.Count);
            var next = 0L;
            var lengths = new int[plan.Count];
            for (var i = 0; i < plan.Count; i++)
            {
                Assert.Equal(next, plan.Offset(i));
                lengths[i] = plan.Length(i);
                Assert.InRange(lengths[i], 0, max);
                next += lengths[i];
            }
            Assert.Equal(total, next);
            Assert.InRange(lengths.Max() - lengths.Min(), 0, 1);
        });

    [Theory]
    [InlineData(-1, 1, "a message of -1 bytes")]
    [InlineData(10, 0, "10 bytes cut into 0 chunks")]
    [InlineData(10, 11, "10 bytes cut into 11 chunks")]
    [InlineData(0, 2, "0 bytes cut into 2 chunks")]
    public void An_impossible_plan_is_named_and_cannot_be_built(long total, int count, string problem)
    {
        Assert.Equal(problem, ChunkPlan.Problem(total, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkPlan(total, count));
    }

    [Fact]
    public void An_index_outside_the_plan_throws()
    {
        var plan = new ChunkPlan(10, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Length(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Offset(-1));
    }
}
