using ActorTrain.Core.Hyperparameters;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Hyperparameters;

/// <summary>Step, exponential and one-cycle schedules against hand-computed values, and the laws they keep.</summary>
public sealed class DecaySchedulesTests
{
    private static LearningRateSchedule Of(ScheduleKind kind, double rate, long total, long warmup, ScheduleShape shape) => new(kind, rate, total, warmup, shape);

    [Fact]
    public void Step_halves_every_three_updates_after_two_of_warm_up()
    {
        var schedule = Of(ScheduleKind.Step, 1.0, 100, 2, ScheduleShape.Default with { Step = new StepDecay(3, 0.5) });
        Assert.Equal([0.5, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 9).Select(u => schedule.At(u)));
    }

    [Fact]
    public void Exponential_is_smooth_unless_it_is_a_staircase()
    {
        var smooth = Of(ScheduleKind.Exponential, 1.0, 100, 0, ScheduleShape.Default with { Exponential = new ExponentialDecay(0.5, 2) });
        var stairs = Of(ScheduleKind.Exponential, 1.0, 100, 0, ScheduleShape.Default with { Exponential = new ExponentialDecay(0.5, 2, Staircase: true) });
        Assert.Equal([1, Math.Sqrt(0.5), 0.5, 0.5 * Math.Sqrt(0.5), 0.25], Enumerable.Range(0, 5).Select(u => smooth.At(u)), new ToTheLastBits());
        Assert.Equal([1, 1, 0.5, 0.5, 0.25], Enumerable.Range(0, 5).Select(u => stairs.At(u)));
    }

    /// <summary>max 1, 10 updates, pct-start 0.3: the rise ends at update 0.3 * 10 - 1 = 2, from 1/25 = 0.04; the fall ends at 9, at 0.04 / 1e4.</summary>
    [Theory]
    [InlineData(AnnealStrategy.Cos, 0, 0.04)]
    [InlineData(AnnealStrategy.Cos, 1, 0.52)]
    [InlineData(AnnealStrategy.Cos, 2, 1.0)]
    [InlineData(AnnealStrategy.Linear, 1, 0.52)]
    [InlineData(AnnealStrategy.Linear, 4, 1 - (1 - 4e-6) * 2 / 7)]
    [InlineData(AnnealStrategy.Cos, 9, 4e-6)]
    [InlineData(AnnealStrategy.Linear, 9, 4e-6)]
    [InlineData(AnnealStrategy.Cos, 10, 4e-6)]
    [InlineData(AnnealStrategy.Cos, 1000, 4e-6)]
    public void One_cycle_rises_from_max_over_div_factor_to_max_then_falls_to_the_minimum_and_stays(AnnealStrategy anneal, long update, double expected)
    {
        var schedule = Of(ScheduleKind.OneCycle, 1.0, 10, 0, ScheduleShape.Default with { OneCycle = new OneCycleShape(Anneal: anneal) });
        Assert.Equal(expected, schedule.At(update), 15);
    }

    [Fact]
    public void One_cycle_ignores_warm_up_updates_having_its_own()
    {
        var plain = Of(ScheduleKind.OneCycle, 1.0, 10, 0, ScheduleShape.Default);
        var warm = Of(ScheduleKind.OneCycle, 1.0, 10, 5, ScheduleShape.Default);
        Assert.Equal(Enumerable.Range(0, 10).Select(u => plain.At(u)), Enumerable.Range(0, 10).Select(u => warm.At(u)));
    }

    /// <summary>For pct-start below one half: above it, three phases overlap and the run ends inside the second (as in PyTorch).</summary>
    [Fact]
    public void One_cycle_stays_between_its_minimum_and_max_and_ends_at_the_minimum() =>
        Gen.Select(Gen.Int[2, 400], Gen.Double[0.05, 0.45], Gen.Bool, Gen.Bool).Sample((total, pct, linear, three) =>
        {
            var shape = new OneCycleShape(pct, linear ? AnnealStrategy.Linear : AnnealStrategy.Cos, 25, 1e4, three);
            var rates = Enumerable.Range(0, total).Select(u => shape.At(0.1, total, u)).ToArray();
            // Rounding puts the linear anneal's end a few ulps of the start rate off the minimum, in PyTorch too.
            Assert.All(rates, r => Assert.InRange(r, 0.1 / 25 / 1e4 - 1e-16, 0.1 + 1e-16));
            Assert.Equal(0.1 / 25 / 1e4, rates[^1], 15);
        });

    [Fact]
    public void Step_and_exponential_never_rise_when_gamma_is_at_most_one() =>
        Gen.Select(Gen.Double[0.01, 1], Gen.Long[1, 50], Gen.Bool, Gen.Long[0, 5000]).Sample((gamma, every, step, update) =>
        {
            var shape = new ScheduleShape(new StepDecay(every, gamma), new ExponentialDecay(gamma, every), new OneCycleShape());
            var schedule = Of(step ? ScheduleKind.Step : ScheduleKind.Exponential, 0.1, 10_000, 0, shape);
            Assert.True(schedule.At(update + 1) <= schedule.At(update));
        });

    private sealed class ToTheLastBits : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-15 * Math.Max(Math.Abs(x), Math.Abs(y));
        public int GetHashCode(double obj) => 0;
    }
}
