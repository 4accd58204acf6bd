using ActorTrain.Core.Hyperparameters;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Hyperparameters;

public sealed class EffectiveLearningRateTests
{
    private static readonly LearningRateSchedule Constant = new(ScheduleKind.Constant, 0.1, 100, 0);
    private static readonly LearningRateSchedule Cosine = new(ScheduleKind.Cosine, 0.2, 100, 0);

    [Fact]
    public void Without_changes_it_is_the_schedule() =>
        Assert.Equal(Enumerable.Range(0, 101).Select(u => Cosine.At(u)), Enumerable.Range(0, 101).Select(u => new EffectiveLearningRate(Cosine, []).At(u)));

    [Fact]
    public void A_factor_applies_from_its_update_on_and_factors_multiply_left_to_right()
    {
        var rate = new EffectiveLearningRate(Constant, [RateChange.Scale(20, 0.1), RateChange.Scale(10, 0.5)]);
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.05 * 0.1, 0.05 * 0.1], new long[] { 0, 9, 10, 19, 20, 99 }.Select(rate.At));
    }

    [Fact]
    public void A_factor_scales_the_schedule_it_sits_on()
    {
        var rate = new EffectiveLearningRate(Cosine, [RateChange.Scale(50, 0.5)]);
        Assert.Equal(Cosine.At(49), rate.At(49));
        Assert.Equal(Cosine.At(50) * 0.5, rate.At(50));
        Assert.Equal(Cosine.At(75) * 0.5, rate.At(75));
    }

    [Fact]
    public void An_absolute_rate_on_a_constant_schedule_is_exactly_that_rate_and_later_factors_scale_it()
    {
        var rate = new EffectiveLearningRate(Constant, [RateChange.Scale(5, 0.1), RateChange.SetTo(10, 0.0123), RateChange.Scale(20, 0.5)]);
        Assert.Equal([0.1, 0.1 * 0.1, 0.0123, 0.0123, 0.0123 * 0.5], new long[] { 4, 5, 10, 19, 20 }.Select(rate.At));
    }

    [Fact]
    public void An_absolute_rate_on_a_cosine_is_met_at_its_update_and_the_cosine_shapes_what_follows()
    {
        var rate = new EffectiveLearningRate(Cosine, [RateChange.SetTo(50, 0.01)]);
        Assert.Equal(0.01, rate.At(50));
        Assert.Equal(0.01 * (Cosine.At(75) / Cosine.At(50)), rate.At(75));
        Assert.Equal(0.0, rate.At(100), 15);
    }

    [Fact]
    public void An_absolute_rate_where_the_schedule_is_zero_pins_the_rate()
    {
        var rate = new EffectiveLearningRate(Cosine, [RateChange.SetTo(100, 0.01)]);
        Assert.Equal(0.01, rate.At(100));
        Assert.Equal(0.01, rate.At(120));
    }

    [Fact]
    public void Changes_at_the_same_update_apply_in_persisted_order()
    {
        var scaleThenSet = new EffectiveLearningRate(Constant, [RateChange.Scale(10, 0.5), RateChange.SetTo(10, 0.02)]);
        var setThenScale = new EffectiveLearningRate(Constant, [RateChange.SetTo(10, 0.02), RateChange.Scale(10, 0.5)]);
        Assert.Equal(0.02, scaleThenSet.At(10));
        Assert.Equal(0.01, setThenScale.At(10));
    }

    [Fact]
    public void With_appends_a_change_after_those_persisted_before() =>
        Assert.Equal(0.01, new EffectiveLearningRate(Constant, [RateChange.SetTo(10, 0.02)]).With(RateChange.Scale(10, 0.5)).At(10));

    /// <summary>A shard at update u never sees a change decided for later: the rate up to an update depends only on changes at or before it.</summary>
    [Fact]
    public void A_change_never_alters_the_rate_before_its_update() =>
        Gen.Select(Gen.Select(Gen.Long[0, 200], Gen.Double[0.01, 1], Gen.Bool).Array[0, 8], Gen.Long[0, 200], Gen.Double[0.001, 1], Gen.Bool)
            .Sample((changes, at, value, absolute) =>
            {
                var before = new EffectiveLearningRate(Cosine, changes.Select(c => new RateChange(c.Item1, c.Item2, c.Item3)));
                var after = before.With(new RateChange(at, value, absolute));
                for (var u = 0L; u < at; u++) Assert.Equal(before.At(u), after.At(u));
            }, iter: 200);
}
