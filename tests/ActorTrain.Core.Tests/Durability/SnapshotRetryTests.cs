using ActorTrain.Core.Durability;
using Xunit;

namespace ActorTrain.Core.Tests.Durability;

public sealed class SnapshotRetryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly SnapshotRetry Retry = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)] // capped by the snapshot interval
    [InlineData(1000, 10)]
    public void The_wait_doubles_with_each_failure_up_to_the_snapshot_interval(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Retry.Delay(failures, every: TimeSpan.FromSeconds(10)));

    [Theory]
    [InlineData(5, 16)]
    [InlineData(6, 30)] // capped by max-backoff
    [InlineData(int.MaxValue, 30)]
    public void Without_a_snapshot_interval_the_wait_is_capped_by_max_backoff(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Retry.Delay(failures, every: TimeSpan.Zero));

    [Fact]
    public void A_snapshot_interval_longer_than_max_backoff_does_not_raise_the_cap() =>
        Assert.Equal(TimeSpan.FromSeconds(30), Retry.Delay(10, every: TimeSpan.FromMinutes(5)));

    [Fact]
    public void There_is_no_wait_before_any_failure() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Retry.Delay(0, TimeSpan.Zero));

    [Fact]
    public void A_retry_is_due_once_its_wait_after_the_last_failure_is_over()
    {
        Assert.Equal((false, "3 failed snapshot(s): the next try waits 4 s after the last"), Retry.Decide(3, T0, T0.AddSeconds(3.9), TimeSpan.Zero));
        Assert.Equal((true, "retry after 3 failed snapshot(s), 4 s after the last"), Retry.Decide(3, T0, T0.AddSeconds(4), TimeSpan.Zero));
    }

    [Fact]
    public void The_policy_waits_after_a_failure_even_when_updates_say_due_and_goes_again_after_the_wait()
    {
        var policy = new SnapshotPolicy(EveryUpdates: 1, Every: TimeSpan.Zero, Keep: 2, Retry);
        Assert.True(policy.Decide(5, 0, T0.AddSeconds(1), T0, writing: false).Due);
        Assert.False(policy.Decide(5, 0, T0.AddSeconds(1.5), T0, writing: false, failuresInARow: 2, lastFailureAt: T0).Due);
        Assert.True(policy.Decide(6, 0, T0.AddSeconds(2), T0, writing: false, failuresInARow: 2, lastFailureAt: T0).Due);
    }

    [Fact]
    public void The_policy_never_retries_while_writing_or_when_nothing_changed()
    {
        var policy = new SnapshotPolicy(EveryUpdates: 1, Every: TimeSpan.Zero, Keep: 2, Retry);
        Assert.Equal((false, "a snapshot is being written"), policy.Decide(5, 0, T0.AddHours(1), T0, writing: true, failuresInARow: 1, lastFailureAt: T0));
        Assert.Equal((false, "nothing changed since the last snapshot"), policy.Decide(5, 5, T0.AddHours(1), T0, writing: false, failuresInARow: 1, lastFailureAt: T0));
    }
}
