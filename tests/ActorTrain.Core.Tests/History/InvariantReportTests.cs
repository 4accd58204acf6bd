using ActorTrain.Core.History.Invariants;
using Xunit;

namespace ActorTrain.Core.Tests.History;

public sealed class InvariantReportTests
{
    private static readonly InvariantVerdict[] Verdicts =
    [
        new(1, "no push applied twice", true, "1234 pushes applied, 0 duplicates applied"),
        new(3, "SSP staleness within the bound", false, "push w0#1/4 applied at shard 1 (version 12) with staleness 3 > bound 2"),
        InvariantVerdict.NotChecked(4, "BSP weights equal the reference", "no reference hash given"),
    ];

    [Fact]
    public void Each_verdict_is_one_line_saying_whether_it_holds()
    {
        Assert.Equal("invariant 1 (no push applied twice): holds — 1234 pushes applied, 0 duplicates applied", InvariantReport.Line(Verdicts[0]));
        Assert.Equal("invariant 3 (SSP staleness within the bound): VIOLATED — push w0#1/4 applied at shard 1 (version 12) with staleness 3 > bound 2", InvariantReport.Line(Verdicts[1]));
        Assert.Equal("invariant 4 (BSP weights equal the reference): not checked — no reference hash given", InvariantReport.Line(Verdicts[2]));
    }

    [Fact]
    public void Format_puts_one_line_per_verdict_in_order()
    {
        Assert.Equal(string.Join('\n', Verdicts.Select(InvariantReport.Line)), InvariantReport.Format(Verdicts));
    }

    [Fact]
    public void AllHold_is_false_when_any_verdict_fails_and_a_verdict_not_checked_does_not_fail()
    {
        Assert.False(InvariantReport.AllHold(Verdicts));
        Assert.True(InvariantReport.AllHold([Verdicts[0], Verdicts[2]]));
        Assert.True(InvariantReport.AllHold([]));
    }
}
