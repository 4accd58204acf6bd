using ActorTrain.Core.Divergence;
using CsCheck;
using Xunit;
using static ActorTrain.Core.Tests.Divergence.Samples;

namespace ActorTrain.Core.Tests.Divergence;

public sealed class NonFiniteCounterTests
{
    private static readonly NonFiniteCounter Counter = new() { Limit = 2, Window = 3 };

    [Fact]
    public void Diverges_when_limit_of_the_last_window_reports_are_not_finite_and_forgets_older_ones()
    {
        var (state, d) = Feed(Counter.Start, Counter.Decide, 1.0, double.NaN, 1.0, 1.0, double.PositiveInfinity, double.NaN);
        Assert.Equal(
        [
            DivergenceDecision.Healthy("loss 1 at update 1 is finite; 0 of the last 1 reports were not"),
            new DivergenceDecision(false, true, "loss NaN at update 2 is not finite: 1 of the last 2 reports, fewer than 2"),
            DivergenceDecision.Healthy("loss 1 at update 3 is finite; 1 of the last 3 reports were not"),
            DivergenceDecision.Healthy("loss 1 at update 4 is finite; 1 of the last 3 reports were not"),
            new DivergenceDecision(false, true, "loss Infinity at update 5 is not finite: 1 of the last 3 reports, fewer than 2"),
            new DivergenceDecision(true, true, "2 of the last 3 reports were not finite (Infinity at update 5, NaN at update 6; over 1 s): diverged"),
        ], d);
        Assert.Equal([5L, 6], state.NonFinite.Select(n => n.Report));
    }

    [Fact]
    public void Never_diverges_with_fewer_than_limit_non_finite_reports_in_any_window() =>
        Gen.Select(Gen.Frequency((5, Gen.Double[0, 1]), (1, Gen.Const(double.NaN))).Array[0, 60], Gen.Int[1, 4], Gen.Int[1, 10]).Sample((values, limit, window) =>
        {
            var counter = new NonFiniteCounter { Limit = limit, Window = window };
            var (_, decisions) = Feed(counter.Start, counter.Decide, values);
            for (var i = 0; i < values.Length; i++)
            {
                var inWindow = values[Math.Max(0, i - window + 1)..(i + 1)].Count(v => !double.IsFinite(v));
                Assert.Equal(!double.IsFinite(values[i]) && inWindow >= limit, decisions[i].Diverged);
            }
        });
}
