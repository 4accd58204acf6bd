using ActorTrain.Core.Durability;
using Xunit;

namespace ActorTrain.Core.Tests.Durability;

public sealed class SnapshotPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private readonly SnapshotPolicy _policy = new(EveryUpdates: 100, Every: TimeSpan.FromSeconds(10), Keep: 2);

    [Fact]
    public void Due_after_enough_updates() =>
        Assert.Equal((true, "100 updates since the last snapshot"), _policy.Decide(300, 200, T0.AddSeconds(1), T0, writing: false));

    [Fact]
    public void Due_after_enough_time_if_anything_changed()
    {
        Assert.Equal((true, "10 s since the last snapshot"), _policy.Decide(201, 200, T0.AddSeconds(10), T0, writing: false));
        Assert.Equal((false, "nothing changed since the last snapshot"), _policy.Decide(200, 200, T0.AddSeconds(60), T0, writing: false));
    }

    [Fact]
    public void Never_while_a_snapshot_is_being_written() =>
        Assert.False(_policy.Decide(10_000, 0, T0.AddHours(1), T0, writing: true).Due);

    [Fact]
    public void Not_due_before_either_bound() =>
        Assert.Equal((false, "not due yet"), _policy.Decide(250, 200, T0.AddSeconds(9), T0, writing: false));
}
