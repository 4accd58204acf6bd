using ActorTrain.Core.Consistency;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class WorkerClocksTests
{
    [Fact]
    public void A_reader_may_read_only_within_s_clocks_of_the_slowest_live_worker()
    {
        var clocks = new WorkerClocks();
        clocks.Observe("a", 0);
        clocks.Observe("b", 0);
        clocks.Observe("a", 5);
        clocks.Observe("b", 2);
        Assert.Equal(2, clocks.Slowest);
        Assert.True(clocks.MayRead("a", 4, staleness: 2));
        Assert.False(clocks.MayRead("a", 5, staleness: 2));
        Assert.Equal(3, clocks.Gap("a", 5));
        clocks.Remove("b");
        Assert.True(clocks.MayRead("a", 5, staleness: 0));
    }

    [Fact]
    public void Clocks_never_go_backwards_and_nobody_known_means_no_bound()
    {
        var clocks = new WorkerClocks();
        Assert.Null(clocks.Slowest);
        Assert.True(clocks.MayRead("a", 1000, staleness: 0));
        clocks.Observe("a", 7);
        clocks.Observe("a", 3);
        Assert.Equal(7, clocks.Slowest);
    }

    [Fact]
    public void A_worker_that_joins_late_starts_level_with_the_slowest_and_holds_nobody_back()
    {
        var clocks = new WorkerClocks();
        clocks.Observe("early", 0);
        clocks.Observe("early", 100);
        clocks.Observe("late", 0);              // its own count starts at 0
        Assert.Equal(100, clocks.Slowest);
        Assert.True(clocks.MayRead("early", 101, staleness: 1));
        Assert.Equal(0, clocks.Gap("late", 0));
        clocks.Observe("late", 3);              // three micro-batches later: level 103
        clocks.Observe("early", 105);
        Assert.Equal(103, clocks.Slowest);
        Assert.True(clocks.MayRead("early", 103, staleness: 0));
        Assert.False(clocks.MayRead("early", 104, staleness: 0));
    }

    [Fact]
    public void After_a_restart_replayed_pushes_start_no_clock_and_the_first_read_places_the_worker()
    {
        // A restarted shard knows no clocks. Worker a reads at clock 930; worker b replays its pushes of clocks 600..900
        // before it reads at 931: those must not make b a late joiner 330 clocks behind (and then as far ahead).
        var clocks = new WorkerClocks();
        clocks.Observe("a", 929);
        for (var clock = 600; clock <= 900; clock++) clocks.ObservePush("b", clock);
        Assert.Equal(929, clocks.Slowest);
        clocks.Observe("b", 930);
        clocks.ObservePush("b", 931);
        Assert.Equal(1, clocks.Gap("b", 931)); // placed level with a, one push on: not 330 clocks apart
        Assert.True(clocks.MayRead("b", 931, staleness: 2));
        clocks.ObservePush("a", 930);
        Assert.Equal(930, clocks.Slowest);
    }

    [Fact]
    public void A_restarted_incarnation_starts_level_with_the_slowest_and_its_dead_predecessors_pushes_move_nothing()
    {
        var clocks = new WorkerClocks();
        clocks.Observe("a", 300, incarnation: 1);
        clocks.Observe("b", 300, incarnation: 1);
        clocks.Observe("a", 0, incarnation: 2);        // a's actor restarted: it counts from 0 again
        Assert.Equal(1, clocks.Gap("a", 1));           // level with b (one ahead, reading for its next), not 300 behind
        Assert.Equal(300, clocks.Slowest);
        clocks.ObservePush("a", 305, incarnation: 1);  // its dead incarnation's push, replayed
        clocks.Observe("a", 250, incarnation: 1);      // and a stale read of it
        Assert.Equal(300, clocks.Slowest);
        clocks.ObservePush("a", 3, incarnation: 2);
        clocks.ObservePush("b", 310, incarnation: 1);
        Assert.Equal(303, clocks.Slowest);
        Assert.False(clocks.MayRead("b", 311, staleness: 2));
    }

    [Fact]
    public void After_a_restart_a_new_incarnation_reading_first_does_not_hold_the_others_back()
    {
        // soak-3-251: worker a's actor had restarted (its clock counts from 0 again) and was the first to read from a
        // shard that had just restarted too. Placed at 2, it left b and c, reading at 189, 186 clocks "ahead" of it:
        // they waited on this shard for a, while a waited on the other shard for them. Every worker's first read of a
        // shard instance places it level with the slowest, from above as from below.
        var clocks = new WorkerClocks();
        clocks.Observe("a", 2, incarnation: 2);
        clocks.Observe("b", 188, incarnation: 1);
        clocks.Observe("c", 188, incarnation: 1);
        Assert.Equal(1, clocks.Gap("b", 189));
        Assert.True(clocks.MayRead("c", 189, staleness: 2));
        // From there the bound holds as always: b three clocks on while a and c stand still is too far.
        clocks.ObservePush("b", 189, incarnation: 1);
        clocks.ObservePush("b", 190, incarnation: 1);
        Assert.False(clocks.MayRead("b", 191, staleness: 1));
        clocks.ObservePush("a", 3, incarnation: 2);
        clocks.ObservePush("c", 189, incarnation: 1);
        Assert.True(clocks.MayRead("b", 191, staleness: 2));
    }
}
