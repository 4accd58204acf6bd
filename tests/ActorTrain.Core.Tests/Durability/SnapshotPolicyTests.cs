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

    [Theory]
    [InlineData(200, 10, 1000, 20)] // snapshots come: wait two periods for one
    [InlineData(200, 0, 1000, 30)] // by updates only, which may never come while every worker waits: the longest wait
    [InlineData(200, 3600, 1000, 30)]
    [InlineData(5000, 3600, 1000, 0)] // never within the job: effectively off, no wait at all
    [InlineData(0, 60, 1000, 0)]
    public void A_full_upstream_backup_waits_for_a_snapshot_as_long_as_one_may_come(long everyUpdates, int everySeconds, long totalUpdates, int waitSeconds)
    {
        var policy = new SnapshotPolicy(everyUpdates, TimeSpan.FromSeconds(everySeconds), Keep: 2);

        Assert.Equal(TimeSpan.FromSeconds(waitSeconds), policy.BackupFullWait(totalUpdates));
        Assert.Equal(waitSeconds == 0, policy.EffectivelyOff(totalUpdates));
    }

    [Fact]
    public void Due_once_a_workers_pushes_since_the_last_snapshot_reach_the_backup_trigger()
    {
        var policy = _policy with { EveryPushedBytes = 1_000 };

        Assert.Equal((false, "not due yet"), policy.Decide(250, 200, T0.AddSeconds(1), T0, writing: false, mostPushedBytes: 999));
        Assert.Equal((true, "a worker pushed 1,000 bytes since the last snapshot: its upstream backup needs room"),
            policy.Decide(250, 200, T0.AddSeconds(1), T0, writing: false, mostPushedBytes: 1_000));
        Assert.False(policy.Decide(250, 200, T0.AddSeconds(1), T0, writing: true, mostPushedBytes: 5_000).Due);
    }

    [Theory]
    [InlineData(256L << 20, 1, 107_374_182)] // two gaps of 0.4 of the backup, a fifth left for a write in progress
    [InlineData(256L << 20, 2, 53_687_091)] // a worker's backup holds its pushes to every shard
    [InlineData(0, 2, 0)] // the backup is off: no trigger
    public void The_backup_trigger_keeps_two_gaps_of_every_shard_inside_the_backup(long backupBytes, int shards, long trigger)
    {
        Assert.Equal(trigger, SnapshotPolicy.BackupTrigger(backupBytes, shards));
        Assert.True(2 * shards * trigger <= backupBytes * 4 / 5 + 2 * shards);
    }

    [Fact]
    public void A_backup_trigger_means_snapshots_are_never_effectively_off() =>
        Assert.False(new SnapshotPolicy(0, TimeSpan.Zero, Keep: 2, EveryPushedBytes: 1).EffectivelyOff(1000));
}
