using ActorTrain.Core.Consistency;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class WorkerClocksTests
{
    [Fact]
    public void A_reader_may_read_only_within_s_clocks_of_the_slowest_live_worker()
    {
        var clocks = new WorkerClocks();
        clocks.Observe("a", 5);
        clocks.Observe("b", 2);
        Assert.Equal(2, clocks.Slowest);
        Assert.True(clocks.MayRead(4, staleness: 2));
        Assert.False(clocks.MayRead(5, staleness: 2));
        Assert.Equal(3, clocks.Gap(5));
        clocks.Remove("b");
        Assert.True(clocks.MayRead(5, staleness: 0));
    }

    [Fact]
    public void Clocks_never_go_backwards_and_nobody_known_means_no_bound()
    {
        var clocks = new WorkerClocks();
        Assert.Null(clocks.Slowest);
        Assert.True(clocks.MayRead(1000, staleness: 0));
        clocks.Observe("a", 7);
        clocks.Observe("a", 3);
        Assert.Equal(7, clocks.Slowest);
    }
}
