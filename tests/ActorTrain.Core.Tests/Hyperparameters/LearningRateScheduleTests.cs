using ActorTrain.Core.Hyperparameters;
using Xunit;

namespace ActorTrain.Core.Tests.Hyperparameters;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Constant_is_the_base_rate_at_every_update()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Constant, 0.1, 100, 0);
        Assert.All(new long[] { 0, 1, 50, 99, 100, 1000 }, u => Assert.Equal(0.1, schedule.At(u)));
    }

    [Fact]
    public void Cosine_starts_at_the_base_rate_halves_midway_and_ends_at_zero()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Cosine, 0.2, 100, 0);
        Assert.Equal(0.2, schedule.At(0));
        Assert.Equal(0.1, schedule.At(50), 15);
        Assert.Equal(0.0, schedule.At(100), 15);
        Assert.Equal(0.0, schedule.At(150), 15);
    }

    [Fact]
    public void Cosine_never_rises_after_warm_up()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Cosine, 0.2, 1000, 10);
        for (long u = 10; u < 1000; u++) Assert.True(schedule.At(u + 1) <= schedule.At(u), $"rate rose at update {u}");
    }

    [Fact]
    public void Warm_up_rises_linearly_to_the_base_rate()
    {
        var schedule = new LearningRateSchedule(ScheduleKind.Constant, 1.0, 100, 4);
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0], new long[] { 0, 1, 2, 3, 4 }.Select(schedule.At));
    }
}
