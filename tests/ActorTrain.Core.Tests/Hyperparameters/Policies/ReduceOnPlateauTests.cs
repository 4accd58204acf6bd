using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Hyperparameters.Policies;
using CsCheck;
using Xunit;
using static ActorTrain.Core.Tests.Hyperparameters.Policies.Evaluations;

namespace ActorTrain.Core.Tests.Hyperparameters.Policies;

/// <summary>Hand-computed cases and laws; PyTorchReferenceTests checks whole recorded runs against PyTorch.</summary>
public sealed class ReduceOnPlateauTests
{
    [Theory]
    [InlineData(MetricMode.Min, ThresholdMode.Relative, 0.999, true)] // below 2 * (1 - 0.5) = 1
    [InlineData(MetricMode.Min, ThresholdMode.Relative, 1.0, false)]
    [InlineData(MetricMode.Min, ThresholdMode.Absolute, 1.4, true)] // below 2 - 0.5
    [InlineData(MetricMode.Min, ThresholdMode.Absolute, 1.5, false)]
    [InlineData(MetricMode.Max, ThresholdMode.Relative, 3.1, true)] // above 2 * (1 + 0.5)
    [InlineData(MetricMode.Max, ThresholdMode.Relative, 3.0, false)]
    [InlineData(MetricMode.Max, ThresholdMode.Absolute, 2.6, true)] // above 2 + 0.5
    [InlineData(MetricMode.Max, ThresholdMode.Absolute, 2.5, false)]
    public void Is_better_is_PyTorchs_for_each_mode_and_threshold_mode(MetricMode mode, ThresholdMode thresholdMode, double value, bool better) =>
        Assert.Equal(better, new ReduceOnPlateau { Mode = mode, ThresholdMode = thresholdMode, Threshold = 0.5 }.IsBetter(value, 2.0));

    /// <summary>PyTorch's relative threshold multiplies the best, so with a negative best in min mode a worse value can count as better.</summary>
    [Fact]
    public void A_relative_threshold_on_a_negative_best_is_PyTorchs_quirk_kept() =>
        Assert.True(new ReduceOnPlateau { Threshold = 0.5 }.IsBetter(-1.5, -2.0));

    [Theory]
    [InlineData(MetricMode.Min, 1e300, true)]
    [InlineData(MetricMode.Max, -1e300, true)]
    [InlineData(MetricMode.Min, double.NaN, false)]
    public void The_first_evaluation_sets_the_best_unless_it_is_NaN(MetricMode mode, double value, bool best)
    {
        var policy = new ReduceOnPlateau { Mode = mode };
        var (state, _) = policy.Decide(policy.Start, At(10, value), 0.1);
        Assert.Equal(best ? value : policy.Start.Best, state.Best);
        Assert.Equal(best ? 0 : 1, state.BadEvaluations);
    }

    [Fact]
    public void Reduces_once_patience_is_exceeded_and_says_why_at_each_step()
    {
        var policy = new ReduceOnPlateau { Patience = 1, Factor = 0.5 };
        var (s1, d1) = policy.Decide(policy.Start, At(100, 1.0), 0.1);
        var (s2, d2) = policy.Decide(s1, At(200, 1.0), 0.1);
        var (s3, d3) = policy.Decide(s2, At(300, 1.0), 0.1);

        Assert.Equal("validation loss 1 at update 100 is the new best (the first evaluation); the rate stays 0.1", d1.Reason);
        Assert.Equal("validation loss 1 at update 200 is no better than the best 1 (update 100): 1 bad of patience 1; the rate stays 0.1", d2.Reason);
        Assert.Equal("validation loss 1 at update 300: 2 evaluations without improving on the best 1 (update 100): the rate 0.1 → 0.05 (× 0.5)", d3.Reason);
        Assert.Equal((false, false, true), (d1.Reduce, d2.Reduce, d3.Reduce));
        Assert.Equal(new PlateauState(1.0, 0, 0, 3, At(100, 1.0)), s3);
        Assert.Equal(RateChange.Scale(320, 0.5, d3.Reason), d3.ChangeAt(320));
        Assert.Null(d2.ChangeAt(220));
    }

    [Fact]
    public void Cooldown_ignores_bad_evaluations_and_says_so()
    {
        var policy = new ReduceOnPlateau { Patience = 0, Factor = 0.5, Cooldown = 2 };
        var state = policy.Decide(policy.Start, At(1, 1.0), 0.1).State;
        var (cooling, reduced) = policy.Decide(state, At(2, 1.0), 0.1);
        var (after1, d1) = policy.Decide(cooling, At(3, 1.0), 0.05);
        var (after2, d2) = policy.Decide(after1, At(4, 1.0), 0.05);
        var (_, d3) = policy.Decide(after2, At(5, 1.0), 0.05);

        Assert.Equal("validation loss 1 at update 2: 1 evaluations without improving on the best 1 (update 1): the rate 0.1 → 0.05 (× 0.5), then 2 evaluations of cooldown", reduced.Reason);
        Assert.Equal(2, cooling.CooldownLeft);
        Assert.Equal("validation loss 1 at update 3 is no better than the best 1 (update 1), but cooling down (1 more after this); the rate stays 0.05", d1.Reason);
        Assert.Equal((1, 0, 0, 0), (after1.CooldownLeft, after1.BadEvaluations, after2.CooldownLeft, after2.BadEvaluations));
        Assert.False(d2.Reduce);
        Assert.True(d3.Reduce);
    }

    [Fact]
    public void Min_rate_clamps_the_reduction_into_an_absolute_change()
    {
        var policy = new ReduceOnPlateau { Patience = 0, Factor = 0.1, MinRate = 0.03 };
        var state = policy.Decide(policy.Start, At(1, 1.0), 0.1).State;
        var (_, decision) = policy.Decide(state, At(2, 1.0), 0.1);
        Assert.True(decision.Reduce && decision.ClampedToMinimum);
        Assert.Equal(0.03, decision.Rate);
        Assert.Equal(RateChange.SetTo(2, 0.03, decision.Reason), decision.ChangeAt(2));
        Assert.EndsWith("the rate 0.1 → 0.03 (min-rate 0.03)", decision.Reason);
    }

    [Fact]
    public void A_reduction_no_larger_than_eps_is_not_made_but_still_starts_the_cooldown()
    {
        var policy = new ReduceOnPlateau { Patience = 0, Factor = 0.5, Eps = 1e-8, Cooldown = 1 };
        var state = policy.Decide(policy.Start, At(1, 1.0), 2e-8).State;
        var (next, decision) = policy.Decide(state, At(2, 1.0), 2e-8);
        Assert.False(decision.Reduce);
        Assert.Equal(2e-8, decision.Rate);
        Assert.Equal(1, next.CooldownLeft);
        Assert.Equal("validation loss 1 at update 2: 1 evaluations without improving on the best 1 (update 1), but 2e-08 → 1e-08 (min-rate 0) is a change of no more than eps 1e-08; the rate stays", decision.Reason);
    }

    [Fact]
    public void Watches_validation_accuracy_in_max_mode()
    {
        var policy = new ReduceOnPlateau { Metric = WatchedMetric.ValidationAccuracy, Mode = MetricMode.Max, Patience = 0 };
        var (state, decision) = policy.Decide(policy.Start, new Evaluation(7, Noon, 0.3, 0.85), 0.1);
        Assert.Equal(0.85, state.Best);
        Assert.StartsWith("validation accuracy 0.85 at update 7 is the new best", decision.Reason);
    }

    private static readonly Gen<ReduceOnPlateau> AnyPolicy =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 3], Gen.Double[0.05, 0.9], Gen.Double[0, 0.01], Gen.Bool, Gen.Bool)
            .Select((patience, cooldown, factor, minRate, max, abs) => new ReduceOnPlateau
            {
                Patience = patience, Cooldown = cooldown, Factor = factor, MinRate = minRate, Threshold = 0.01,
                Mode = max ? MetricMode.Max : MetricMode.Min, ThresholdMode = abs ? ThresholdMode.Absolute : ThresholdMode.Relative,
            });

    private static readonly Gen<double[]> AnyMetrics = Gen.Frequency((9, Gen.Double[0, 2]), (1, Gen.Const(double.NaN))).Array[1, 60];

    /// <summary>The rates and the indexes of the evaluations that reduced, feeding each decision back as a persisted change.</summary>
    private static (double[] Rates, List<int> Reductions) Run(ReduceOnPlateau policy, double[] metrics)
    {
        var rates = new EffectiveLearningRate(new LearningRateSchedule(ScheduleKind.Constant, 0.1, 1000, 0), []);
        var state = policy.Start;
        var reductions = new List<int>();
        var seen = new double[metrics.Length];
        for (var i = 0; i < metrics.Length; i++)
        {
            (state, var decision) = policy.Decide(state, At(i, metrics[i]), rates.At(i));
            if (decision.ChangeAt(i) is { } change) { rates = rates.With(change); reductions.Add(i); }
            seen[i] = rates.At(i);
        }
        return (seen, reductions);
    }

    [Fact]
    public void The_rate_never_rises_and_never_falls_below_min_rate() =>
        Gen.Select(AnyPolicy, AnyMetrics).Sample((policy, metrics) =>
        {
            var (rates, _) = Run(policy, metrics);
            for (var i = 1; i < rates.Length; i++) Assert.True(rates[i] <= rates[i - 1], $"rose at {i}");
            Assert.All(rates, r => Assert.True(r >= Math.Min(policy.MinRate, 0.1), $"{r} below min-rate {policy.MinRate}"));
        });

    /// <summary>After a reduction, cooldown evaluations count nothing, then patience + 1 bad ones are needed again.</summary>
    [Fact]
    public void Reductions_are_at_least_cooldown_plus_patience_plus_one_evaluations_apart() =>
        Gen.Select(AnyPolicy, AnyMetrics).Sample((policy, metrics) =>
        {
            var (_, reductions) = Run(policy, metrics);
            for (var i = 1; i < reductions.Count; i++)
                Assert.True(reductions[i] - reductions[i - 1] >= policy.Cooldown + policy.Patience + 1, $"reductions at {reductions[i - 1]} and {reductions[i]}");
        });
}
