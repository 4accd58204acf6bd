using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// The law of a shard's fallback: the workers may drop only what the oldest whole snapshot it keeps covers, so a shard
/// whose newer snapshots are all damaged can still be given back everything it applied since the one it loads.
/// </summary>
public sealed class KeptSnapshotsTests
{
    private static DedupRow[] Row(long watermark) => [new("w", 1, watermark, [])];

    [Fact]
    public void Until_a_second_snapshot_is_written_the_fallback_is_the_initial_weights_and_covers_nothing()
    {
        var kept = new KeptSnapshots(keep: 2);
        var fallback = kept.Saved(1, Row(10));
        Assert.Equal(0, fallback.SequenceNr);
        Assert.Equal(new DedupRow("w", 1, 0, []), KeptSnapshots.CoveredOf(fallback.Covered, Row(10)[0]) with { AppliedAboveWatermark = [] });
        Assert.Equal(1, kept.Saved(2, Row(20)).SequenceNr);
        Assert.Equal(2, kept.Saved(3, Row(30)).SequenceNr);
    }

    [Fact]
    public void After_recovering_past_a_damaged_snapshot_the_fallback_is_the_one_loaded_not_the_damaged_one()
    {
        // #7 whole, #8 damaged: the shard loads #7; its next snapshot is #9. Should #9 be damaged too, #7 is what loads,
        // so the workers must keep everything #7 does not cover (counting #8 among the kept lost it).
        var kept = new KeptSnapshots(keep: 2);
        kept.Loaded(7, Row(70));
        var fallback = kept.Saved(9, Row(90));
        Assert.Equal(7, fallback.SequenceNr);
        Assert.Equal(70, KeptSnapshots.CoveredOf(fallback.Covered, Row(90)[0]).Watermark);
        Assert.Equal(9, kept.Saved(10, Row(100)).SequenceNr);
    }

    [Fact]
    public void A_row_of_an_incarnation_the_fallback_does_not_hold_covers_nothing()
    {
        var covered = KeptSnapshots.CoveredOf(Row(50), new DedupRow("w", 2, 9, [11]));
        Assert.Equal(("w", 2L, 0L, 0), (covered.WorkerId, covered.Incarnation, covered.Watermark, covered.AppliedAboveWatermark.Length));
    }

    [Fact]
    public void With_keep_1_the_fallback_is_the_newest_snapshot()
    {
        var kept = new KeptSnapshots(keep: 1);
        Assert.Equal(1, kept.Saved(1, Row(10)).SequenceNr);
    }
}
