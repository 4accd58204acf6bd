using ActorTrain.Core.Divergence;
using CsCheck;
using Xunit;
using static ActorTrain.Core.Tests.Divergence.Samples;

namespace ActorTrain.Core.Tests.Divergence;

/// <summary>
/// The window [1, 1.2, 0.8, 1, 1] has mean 1 and sample standard deviation sqrt(0.08 / 4) = 0.1414, so 2 is
/// 1 / 0.1414 = 7.07 deviations above it, 1.1 is 0.71 above it.
/// </summary>
public sealed class SpikeDetectorTests
{
    private static readonly SpikeDetector Detector = new() { Window = 5, Threshold = 3, MinSamples = 5, Consecutive = 2 };
    private static readonly double[] Healthy = [1.0, 1.2, 0.8, 1.0, 1.0];

    private static DivergenceDecision[] Run(SpikeDetector detector, params double[] values) => Feed(detector.Start, detector.Decide, values).Decisions;

    [Fact]
    public void Judges_nothing_before_min_samples() =>
        Assert.Equal(
            ["loss 1 at update 1: 0 of the 5 values needed before judging", "loss 100 at update 2: 1 of the 5 values needed before judging"],
            Run(Detector, 1.0, 100.0).Select(d => d.Reason));

    [Fact]
    public void Consecutive_spikes_diverge_and_the_reason_gives_the_z_score_and_the_window()
    {
        var d = Run(Detector, [.. Healthy, 2.0, 2.0]);
        Assert.Equal(new DivergenceDecision(false, true, "loss 2 at update 6 is 7.1 standard deviations above the mean of the last 5 (1 ± 0.14) for 1 report, fewer than 2"), d[5]);
        Assert.Equal(new DivergenceDecision(true, true, "loss 2 at update 7 is 7.1 standard deviations above the mean of the last 5 (1 ± 0.14) for 2 reports: diverged"), d[6]);
    }

    [Fact]
    public void A_report_within_the_threshold_ends_the_run_of_spikes()
    {
        var d = Run(Detector, [.. Healthy, 2.0, 1.1, 2.0]);
        Assert.Equal(DivergenceDecision.Healthy("loss 1.1 at update 7 is 0.7 standard deviations above the mean of the last 5 (1 ± 0.14), within 3"), d[6]);
        Assert.False(d[7].Diverged);
        Assert.True(d[7].Suspect);
    }

    [Fact]
    public void Only_upward_spikes_count()
    {
        var d = Run(Detector, [.. Healthy, -5.0]);
        Assert.Equal(DivergenceDecision.Healthy("loss -5 at update 6 is not above the mean of the last 5 (1 ± 0.14)"), d[5]);
    }

    [Fact]
    public void Spikes_stay_out_of_the_window_and_healthy_values_slide_it()
    {
        var (state, _) = Feed(Detector.Start, Detector.Decide, [.. Healthy, 2.0, 1.1]);
        Assert.Equal([1.2, 0.8, 1.0, 1.0, 1.1], state.Recent.ToArray());
        Assert.Equal(0, state.Spikes);
    }

    [Fact]
    public void Non_finite_values_are_left_to_the_non_finite_counter_and_change_nothing()
    {
        var (before, _) = Feed(Detector.Start, Detector.Decide, [.. Healthy, 2.0]);
        var (after, decision) = Detector.Decide(before, At(7, double.NaN));
        Assert.Same(before, after);
        Assert.Equal(DivergenceDecision.Healthy("loss NaN at update 7 is not finite; the non-finite counter judges it"), decision);
    }

    [Fact]
    public void Any_rise_above_a_window_without_spread_is_a_spike()
    {
        var d = Run(Detector, 1.0, 1.0, 1.0, 1.0, 1.0, 1.5);
        Assert.Equal("loss 1.5 at update 6 is above the mean of the last 5 (1 ± 0), which has no spread, for 1 report, fewer than 2", d[5].Reason);
    }

    [Fact]
    public void The_same_detector_watches_gradient_norms()
    {
        var detector = new SpikeDetector { Quantity = "gradient norm", Window = 50, Threshold = 6, MinSamples = 10, Consecutive = 3 };
        double[] norms = [.. Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? 0.8 : 1.2), 8.31, 8.31, 8.31];
        var d = Run(detector, norms);
        // mean 1, sample standard deviation sqrt(50 * 0.04 / 49) = 0.202: 7.31 / 0.202 = 36.2.
        Assert.Equal("gradient norm 8.31 at update 53 is 36.2 standard deviations above the mean of the last 50 (1 ± 0.2) for 3 reports: diverged", d[^1].Reason);
        Assert.True(d[^1].Diverged);
    }

    private static readonly Gen<double[]> Stream = Gen.Frequency((20, Gen.Double[0, 3]), (2, Gen.Double[10, 1000]), (1, Gen.Const(double.NaN))).Array[0, 80];

    [Fact]
    public void Divergence_needs_min_samples_and_then_consecutive_suspect_reports() =>
        Gen.Select(Stream, Gen.Int[2, 10], Gen.Int[1, 4]).Sample((values, minSamples, consecutive) =>
        {
            var detector = new SpikeDetector { Window = 10, Threshold = 3, MinSamples = minSamples, Consecutive = consecutive };
            var (_, decisions) = Feed(detector.Start, detector.Decide, values);
            var finite = decisions.Where((_, i) => double.IsFinite(values[i])).ToArray();
            for (var i = 0; i < finite.Length; i++)
            {
                if (!finite[i].Diverged) continue;
                Assert.True(i >= minSamples + consecutive - 1, $"diverged at finite report {i}");
                Assert.All(finite[(i - consecutive + 1)..(i + 1)], d => Assert.True(d.Suspect));
            }
        });
}
