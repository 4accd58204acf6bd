using ActorTrain.Core.Durability;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Durability;

public sealed class UpstreamBackupTests
{
    [Fact]
    public void A_snapshot_releases_what_it_covers_and_nothing_else()
    {
        var backup = new UpstreamBackup<string>(shards: 2, maxBytes: 1000);
        for (var seq = 1; seq <= 6; seq++) backup.Retain(0, seq, $"s0#{seq}", 10);
        backup.Retain(1, 1, "s1#1", 10);

        // The shard applied 1..3 and 5 (4 is still on its way): the snapshot covers exactly those.
        Assert.Equal(4, backup.Release(0, watermark: 3, appliedAboveWatermark: [5]));

        Assert.Equal(["s0#4", "s0#6"], backup.ToReplay(0));
        Assert.Equal(["s1#1"], backup.ToReplay(1));
        Assert.Equal(30, backup.Bytes);
    }

    [Fact]
    public void The_backup_is_full_at_its_byte_bound_and_has_room_again_after_a_release()
    {
        var backup = new UpstreamBackup<int>(shards: 1, maxBytes: 25);
        backup.Retain(0, 1, 1, 10);
        backup.Retain(0, 2, 2, 10);
        Assert.False(backup.IsFull);
        backup.Retain(0, 3, 3, 10);
        Assert.True(backup.IsFull);

        backup.Release(0, watermark: 1, appliedAboveWatermark: []);
        Assert.False(backup.IsFull);
    }

    [Fact]
    public void A_backup_bounded_at_0_is_off_it_keeps_nothing_and_is_never_full()
    {
        var backup = new UpstreamBackup<int>(shards: 1, maxBytes: 0);
        backup.Retain(0, 1, 1, 10);
        Assert.Equal(0, backup.Count);
        Assert.False(backup.IsFull);
        Assert.Empty(backup.ToReplay(0));
    }

    [Fact]
    public void Retaining_a_resent_push_again_counts_it_once()
    {
        var backup = new UpstreamBackup<int>(shards: 1, maxBytes: 100);
        backup.Retain(0, 1, 1, 10);
        backup.Retain(0, 1, 1, 10);
        Assert.Equal(1, backup.Count);
        Assert.Equal(10, backup.Bytes);
    }

    [Fact]
    public void Whatever_snapshots_confirm_the_replay_is_exactly_the_retained_pushes_not_covered_in_order() =>
        Gen.Int[1, 40].SelectMany(n => Gen.Int[0, n].Select(Gen.Int[1, n].HashSet[0, n], (w, above) => (n, w, above)))
            .Sample(c =>
            {
                var backup = new UpstreamBackup<long>(shards: 1, maxBytes: long.MaxValue);
                for (long seq = 1; seq <= c.n; seq++) backup.Retain(0, seq, seq, 1);
                backup.Release(0, c.w, c.above.Select(s => (long)s));
                var expected = Enumerable.Range(1, c.n).Select(s => (long)s).Where(s => s > c.w && !c.above.Contains((int)s)).ToList();
                Assert.Equal(expected, backup.ToReplay(0));
                Assert.Equal(expected.Count, backup.Bytes);
            });

    [Fact]
    public void Dropping_the_oldest_frees_just_enough_room_taking_from_the_fullest_shard_first()
    {
        var backup = new UpstreamBackup<string>(shards: 2, maxBytes: 40);
        for (var seq = 1; seq <= 3; seq++) backup.Retain(0, seq, $"s0#{seq}", 10);
        backup.Retain(1, 1, "s1#1", 10);
        Assert.True(backup.IsFull);

        Assert.Equal(1, backup.DropOldest());

        Assert.False(backup.IsFull);
        Assert.Equal(["s0#2", "s0#3"], backup.ToReplay(0));
        Assert.Equal(["s1#1"], backup.ToReplay(1));
        Assert.Equal(0, backup.DropOldest());
    }
}
