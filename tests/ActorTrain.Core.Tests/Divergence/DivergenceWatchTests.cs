using ActorTrain.Core.Data;
using ActorTrain.Core.Divergence;
using Xunit;

namespace ActorTrain.Core.Tests.Divergence;

/// <summary>
/// The watch's trouble window: it begins at the first suspect report, survives fewer than CalmReports healthy ones (a
/// poisoned micro-batch's step-mates, computed on the same weights), and is what a rollback skips.
/// </summary>
public sealed class DivergenceWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    private static readonly DivergenceWatch Watch = new()
    {
        NonFinite = new NonFiniteCounter { Limit = 2, Window = 10 },
        LossSpike = new SpikeDetector { Window = 5, MinSamples = 3, Threshold = 3, Consecutive = 2 },
        GradientSpike = null,
        CalmReports = 2,
    };

    private static (DivergenceWatchState State, List<DivergenceVerdict> Verdicts) Feed(params double[] losses)
    {
        var state = Watch.Start;
        var verdicts = new List<DivergenceVerdict>();
        for (var i = 0; i < losses.Length; i++)
        {
            (state, var verdict) = Watch.Observe(state, new DivergenceReport(new MicroBatchId(0, i), i, T0.AddSeconds(i), losses[i], 1));
            verdicts.Add(verdict);
        }
        return (state, verdicts);
    }

    [Fact]
    public void A_spike_then_one_healthy_report_then_spikes_diverges_with_the_window_from_the_first_spike()
    {
        var (_, verdicts) = Feed(1.0, 1.1, 0.9, 50, 1.0, 60, 70);

        Assert.All(verdicts.Take(3), v => Assert.False(v.Suspect));
        Assert.True(verdicts[3].Suspect);
        Assert.False(verdicts[4].Suspect); // healthy, but fewer than CalmReports: the trouble goes on
        Assert.False(verdicts[5].Diverged); // the healthy report ended the run of spikes
        Assert.True(verdicts[6].Diverged);
        Assert.Equal(3, verdicts[6].TroubleStartedAt);
        Assert.Equal([3, 4, 5, 6], verdicts[6].Window.Select(m => m.Index));
    }

    [Fact]
    public void Enough_healthy_reports_end_the_trouble_and_the_next_one_starts_afresh()
    {
        var (state, verdicts) = Feed(1.0, 1.1, 0.9, 50, 1.0, 1.0, 60, 70);

        Assert.False(verdicts[5].Suspect);
        Assert.True(verdicts[7].Diverged);
        Assert.Equal(6, verdicts[7].TroubleStartedAt);
        Assert.Equal([6, 7], verdicts[7].Window.Select(m => m.Index));
        Assert.Equal(6, state.TroubleStartedAt);
    }

    [Fact]
    public void Non_finite_reports_up_to_the_limit_diverge_whichever_of_loss_or_gradient_was_not_finite()
    {
        var state = Watch.Start;
        (state, var first) = Watch.Observe(state, new DivergenceReport(new MicroBatchId(0, 0), 0, T0, double.NaN, 1));
        (_, var second) = Watch.Observe(state, new DivergenceReport(new MicroBatchId(0, 1), 1, T0, 1.0, double.PositiveInfinity));

        Assert.True(first.Suspect);
        Assert.False(first.Diverged);
        Assert.True(second.Diverged);
        Assert.Contains("not finite", second.Reason);
        Assert.Equal([0, 1], second.Window.Select(m => m.Index));
    }

    [Fact]
    public void A_deviation_floor_keeps_a_rise_from_a_window_of_zeros_from_reading_as_a_spike()
    {
        var floored = new SpikeDetector { Window = 5, MinSamples = 3, Threshold = 6, MinDeviation = 0.001, RelativeMinDeviation = 0.05 };
        var bare = floored with { MinDeviation = 0, RelativeMinDeviation = 0 };
        var samples = new[] { 0.0, 0.0, 0.0, 1e-5 };

        Assert.False(Last(floored, samples).Suspect);
        Assert.True(Last(bare, samples).Suspect);
        Assert.True(Last(floored, [0.0, 0.0, 0.0, 0.5]).Suspect);

        static DivergenceDecision Last(SpikeDetector detector, double[] values)
        {
            var state = detector.Start;
            DivergenceDecision decision = DivergenceDecision.Healthy("");
            for (var i = 0; i < values.Length; i++) (state, decision) = detector.Decide(state, new MetricSample(i, T0, values[i]));
            return decision;
        }
    }
}
