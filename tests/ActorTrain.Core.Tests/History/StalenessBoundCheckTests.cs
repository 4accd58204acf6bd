using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class StalenessBoundCheckTests
{
    private static readonly InvariantCheckOptions Ssp2 = new(ConsistencyMode.Ssp, Staleness: 2);

    [Fact]
    public void Holds_when_every_application_under_SSP_is_within_the_bound()
    {
        var verdict = Of(3, Ssp2,
            new PushApplied(0, P("w0", 1, 1), 1, 0, 0),
            new PushApplied(0, P("w1", 1, 1), 2, 2, 2),
            new PushApplied(1, P("w1", 1, 1), 1, 1, 1));

        Assert.True(verdict.Holds);
        Assert.True(verdict.Checked);
        Assert.Equal("SSP staleness within the bound", verdict.Name);
        Assert.Equal("3 applications under SSP, highest staleness 2 clocks (bound 2)", verdict.Detail);
    }

    [Fact]
    public void Fails_when_an_application_under_SSP_is_staler_than_the_bound()
    {
        var verdict = Of(3, Ssp2,
            new PushApplied(0, P("w0", 1, 1), 11, 2, 2),
            new PushApplied(1, P("w0", 1, 4), 12, 3, 3));

        Assert.False(verdict.Holds);
        Assert.Equal("push w0#1/4 applied at shard 1 (version 12) with staleness 3 clocks > bound 2", verdict.Detail);
    }

    [Fact]
    public void Is_not_checked_when_SSP_was_never_on()
    {
        var verdict = Of(3, Asp, new PushApplied(0, P("w0", 1, 1), 11, 50, 50));

        Assert.True(verdict.Holds);
        Assert.False(verdict.Checked);
        Assert.Equal("SSP was never on", verdict.Detail);
    }

    [Fact]
    public void A_mode_change_governs_applications_from_its_update_on_with_its_own_bound()
    {
        var history = new HistoryEvent[]
        {
            new ModeChanged(ConsistencyMode.Ssp, 1, 10),
            new ModeChanged(ConsistencyMode.Asp, 0, 20),
            new PushApplied(0, P("w0", 1, 1), 9, 5, 5),
            new PushApplied(0, P("w0", 1, 2), 10, 1, 1),
            new PushApplied(1, P("w0", 1, 2), 19, 1, 1),
            new PushApplied(0, P("w0", 1, 3), 20, 9, 9),
        };

        var holds = Of(3, Asp, history);
        var fails = Of(3, Asp, [.. history, new PushApplied(1, P("w1", 2, 7), 15, 2, 2)]);

        Assert.True(holds.Holds);
        Assert.Equal("2 applications under SSP, highest staleness 1 clocks (bound 1)", holds.Detail);
        Assert.False(fails.Holds);
        Assert.Equal("push w1#2/7 applied at shard 1 (version 15) with staleness 2 clocks > bound 1", fails.Detail);
    }

    [Fact]
    public void A_change_away_from_SSP_lifts_the_bound()
    {
        var verdict = Of(3, Ssp2, new ModeChanged(ConsistencyMode.Asp, 0, 5), new PushApplied(0, P("w0", 1, 1), 5, 9, 9));

        Assert.True(verdict.Holds);
        Assert.Equal("0 applications under SSP, highest staleness 0 clocks (bound 2)", verdict.Detail);
    }

    [Fact]
    public void Applications_by_a_shard_not_yet_in_SSP_are_counted_apart_and_not_judged()
    {
        var verdict = Of(3, Asp, new ModeChanged(ConsistencyMode.Ssp, 1, 10), new PushApplied(0, P("w0", 1, 1), 11, 7), new PushApplied(0, P("w0", 1, 2), 12, 3, 1));

        Assert.True(verdict.Holds);
        Assert.Equal("1 applications under SSP, highest staleness 1 clocks (bound 1), 1 not judged (computed on weights read before SSP was on, or from an earlier shard instance)", verdict.Detail);
    }

    [Fact]
    public void A_push_read_under_the_old_bound_of_a_live_change_is_judged_by_that_bound()
    {
        // ssp:4 -> ssp:1 at update 10: shard 0 applies a push read under 4 (gap 3) at version 11, before the change
        // reached it. Judged by the coordinator's bound at version 11 (1), it would be a violation; it was released under 4.
        var verdict = Of(3, new InvariantCheckOptions(ConsistencyMode.Ssp, Staleness: 4),
            new ModeChanged(ConsistencyMode.Ssp, 1, 10),
            new PushApplied(0, P("w0", 1, 5), 11, 3, 3, Bound: 4),
            new PushApplied(1, P("w1", 1, 5), 12, 1, 1, Bound: 1));

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.Equal("2 applications under SSP, highest staleness 3 clocks (bounds 4, 1)", verdict.Detail);
    }

    [Theory]
    [InlineData(ConsistencyMode.Ssp, 4)] // ssp:1 -> ssp:4: a push read under 1 with gap 2, though 4 governs its version
    [InlineData(ConsistencyMode.Asp, 0)] // ssp:1 -> asp: a shard the switch had not reached still applies under 1
    public void A_push_over_the_bound_it_was_released_under_is_still_a_violation(ConsistencyMode changedTo, int changedBound)
    {
        var verdict = Of(3, new InvariantCheckOptions(ConsistencyMode.Ssp, Staleness: 1),
            new ModeChanged(changedTo, changedBound, 10),
            new PushApplied(0, P("w0", 1, 5), 11, 1, 1, Bound: 1),
            new PushApplied(1, P("w1", 1, 6), 12, 2, 2, Bound: 1));

        Assert.False(verdict.Holds);
        Assert.Equal("push w1#1/6 applied at shard 1 (version 12) with staleness 2 clocks > bound 1", verdict.Detail);
    }
}
