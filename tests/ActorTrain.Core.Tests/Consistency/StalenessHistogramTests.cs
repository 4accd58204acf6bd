using ActorTrain.Core.Consistency;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class StalenessHistogramTests
{
    [Fact]
    public void Records_counts_mean_and_max()
    {
        var h = new StalenessHistogram();
        foreach (var s in new long[] { 0, 2, 2, 4 }) h.Record(s);
        Assert.Equal([1, 0, 2, 0, 1], h.Counts);
        Assert.Equal(4, h.Total);
        Assert.Equal(2.0, h.Mean);
        Assert.Equal(4, h.Max);
    }

    [Fact]
    public void Merging_adds_counts_position_by_position()
    {
        var merged = StalenessHistogram.From([1, 2]).Merge(StalenessHistogram.From([0, 1, 5]));
        Assert.Equal([1, 3, 5], merged.Counts);
        Assert.Equal(9, merged.Total);
        Assert.Empty(StalenessHistogram.From([0, 0]).Counts);
    }
}
