using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class CheckpointCheckTests
{
    private static CheckpointRecorded Checkpoint(long id, bool complete, params long[] versions) =>
        new(id, [.. versions.Select((v, s) => new ShardVersion(s, v))], complete);

    [Fact]
    public void Holds_when_complete_checkpoints_name_every_shard_at_one_step_under_BSP()
    {
        var verdict = Of(5, Bsp with { ShardCount = 3 },
            Checkpoint(1, true, 10, 10, 10),
            Checkpoint(2, false, 20),
            Checkpoint(3, true, 30, 30, 30));

        Assert.True(verdict.Holds);
        Assert.True(verdict.Checked);
        Assert.Equal("complete checkpoints are whole", verdict.Name);
        Assert.Equal("2 complete checkpoints checked (3 shards each), 1 incomplete ignored", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_complete_checkpoint_misses_a_shard()
    {
        var verdict = Of(5, Bsp with { ShardCount = 3 }, Checkpoint(3, true, 10, 10));

        Assert.False(verdict.Holds);
        Assert.Equal("checkpoint 3 is recorded complete but names no snapshot for shard 2", verdict.Detail);
    }

    [Fact]
    public void Without_a_shard_count_the_shards_seen_anywhere_in_the_history_count()
    {
        var verdict = Of(5, Bsp, new PushApplied(2, P("w0", 1, 1), 1, 0), Checkpoint(3, true, 10, 10));

        Assert.False(verdict.Holds);
        Assert.Equal("checkpoint 3 is recorded complete but names no snapshot for shard 2", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_complete_checkpoint_names_a_shard_twice()
    {
        var verdict = Of(5, Bsp with { ShardCount = 1 }, new CheckpointRecorded(4, [new(0, 10), new(0, 10)], true));

        Assert.False(verdict.Holds);
        Assert.Equal("checkpoint 4 names shard 0 twice", verdict.Detail);
    }

    [Fact]
    public void Fails_under_BSP_when_shards_of_a_complete_checkpoint_are_at_different_steps()
    {
        var verdict = Of(5, Bsp with { ShardCount = 2 }, Checkpoint(3, true, 40, 41));

        Assert.False(verdict.Holds);
        Assert.Equal("checkpoint 3 (BSP) has shards at different versions (shard 0 at 40, shard 1 at 41)", verdict.Detail);
    }

    [Fact]
    public void Shards_may_be_at_different_versions_in_async_modes()
    {
        var asp = Of(5, Asp with { ShardCount = 2 }, Checkpoint(3, true, 40, 41));
        var switched = Of(5, Bsp with { ShardCount = 2 }, new ModeChanged(ConsistencyMode.Ssp, 2, 30), Checkpoint(3, true, 40, 41));

        Assert.True(asp.Holds);
        Assert.True(switched.Holds);
    }

    [Fact]
    public void Fails_when_the_loader_says_a_complete_checkpoint_does_not_load()
    {
        var options = Bsp with { ShardCount = 1, LoadCheckpoint = c => c.Id == 2 ? "snapshot of shard 0 missing from the store" : null };

        var verdict = Of(5, options, Checkpoint(1, true, 10), Checkpoint(2, true, 20), Checkpoint(5, false));

        Assert.False(verdict.Holds);
        Assert.Equal("checkpoint 2 does not load: snapshot of shard 0 missing from the store", verdict.Detail);
    }

    [Fact]
    public void Incomplete_checkpoints_are_neither_judged_nor_loaded()
    {
        var loaded = new List<long>();
        var options = Bsp with { ShardCount = 2, LoadCheckpoint = c => { loaded.Add(c.Id); return null; } };

        var verdict = Of(5, options, Checkpoint(1, false, 10), Checkpoint(2, true, 20, 20));

        Assert.True(verdict.Holds);
        Assert.Equal([2L], loaded);
    }

    [Fact]
    public void A_checkpoint_already_found_broken_is_not_given_to_the_loader()
    {
        var loaded = new List<long>();
        var options = Bsp with { ShardCount = 2, LoadCheckpoint = c => { loaded.Add(c.Id); return "should not be asked"; } };

        var verdict = Of(5, options, Checkpoint(1, true, 10));

        Assert.Equal("checkpoint 1 is recorded complete but names no snapshot for shard 1", verdict.Detail);
        Assert.Empty(loaded);
    }

    [Fact]
    public void Holds_with_no_checkpoints()
    {
        var verdict = Of(5, Bsp);

        Assert.True(verdict.Holds);
        Assert.Equal("0 complete checkpoints checked (0 shards each), 0 incomplete ignored", verdict.Detail);
    }
}
