using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using CsCheck;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class PushApplicationCheckTests
{
    private static readonly string[] Workers = ["w0", "w1", "w2"];

    [Fact]
    public void Holds_when_each_push_is_applied_once_and_resends_are_acked_as_duplicates()
    {
        var verdict = Of(1, Bsp,
            new PushSent(P("w0", 1, 1), 0, 0, 0),
            new PushApplied(0, P("w0", 1, 1), 1, 0),
            new PushAcked(0, P("w0", 1, 1), 1, false),
            new PushApplied(0, P("w1", 1, 1), 2, 1),
            new PushAcked(0, P("w1", 1, 1), 2, false),
            new PushAcked(0, P("w1", 1, 1), 2, true),
            new PushRejected(0, P("w0", 0, 9), "stale incarnation"),
            new PushApplied(1, P("w0", 1, 1), 1, 0),
            new PushAcked(1, P("w0", 1, 1), 1, false));

        Assert.True(verdict.Holds);
        Assert.True(verdict.Checked);
        Assert.Equal(1, verdict.Number);
        Assert.Equal("no push applied twice", verdict.Name);
        Assert.Equal("3 pushes applied, 0 duplicates applied, 1 duplicate deliveries acked without applying, 1 rejected, 0 applications undone by restores", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_push_is_applied_twice_at_one_shard_and_names_it()
    {
        var verdict = Of(1, Asp,
            new PushApplied(0, P("w1", 3, 17), 40, 0),
            new PushApplied(0, P("w1", 3, 18), 41, 0),
            new PushApplied(0, P("w1", 3, 17), 44, 0));

        Assert.False(verdict.Holds);
        Assert.Equal("push w1#3/17 applied twice at shard 0 (versions 40 and 44)", verdict.Detail);
    }

    [Fact]
    public void The_same_push_at_different_shards_is_not_a_double_application() =>
        Assert.True(Of(1, Asp, new PushApplied(0, P("w1", 1, 1), 1, 0), new PushApplied(1, P("w1", 1, 1), 1, 0)).Holds);

    [Fact]
    public void Other_incarnations_are_other_pushes() =>
        Assert.True(Of(1, Asp, new PushApplied(0, P("w1", 1, 1), 1, 0), new PushApplied(0, P("w1", 2, 1), 2, 0)).Holds);

    [Fact]
    public void Fails_when_an_acked_push_was_never_applied()
    {
        var verdict = Of(1, Asp, new PushAcked(1, P("w1", 1, 2), 7, false));

        Assert.False(verdict.Holds);
        Assert.Equal("push w1#1/2 acked at shard 1 (version 7) but never applied", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_push_acked_as_a_duplicate_was_never_applied()
    {
        var verdict = Of(1, Asp, new PushApplied(1, P("w1", 1, 1), 7, 0), new PushAcked(1, P("w1", 1, 2), 7, true));

        Assert.False(verdict.Holds);
        Assert.Equal("push w1#1/2 acked at shard 1 (version 7) but never applied", verdict.Detail);
    }

    [Fact]
    public void A_push_replayed_after_a_recovery_that_undid_it_is_applied_once()
    {
        var verdict = Of(1, Asp,
            new PushApplied(0, P("w0", 1, 1), 41, 0),
            new PushAcked(0, P("w0", 1, 1), 41, false),
            new ShardRestored(0, 40, RestoreCause.Recovery),
            new PushApplied(0, P("w0", 1, 1), 41, 0),
            new PushAcked(0, P("w0", 1, 1), 41, true));

        Assert.True(verdict.Holds);
        Assert.Equal("1 pushes applied, 0 duplicates applied, 1 duplicate deliveries acked without applying, 0 rejected, 1 applications undone by restores", verdict.Detail);
    }

    /// <summary>Push w0#1/2 applied at version 41 and acked, then the shard goes back to version 40 and nobody replays it.</summary>
    private static HistoryEvent[] AckedPushUndoneBy(RestoreCause cause) =>
    [
        new PushApplied(0, P("w0", 1, 1), 40, 0),
        new PushApplied(0, P("w0", 1, 2), 41, 0),
        new PushAcked(0, P("w0", 1, 2), 41, false),
        new ShardRestored(0, 40, cause),
    ];

    [Fact]
    public void Fails_when_a_recovery_loses_an_acked_push_that_is_never_replayed()
    {
        var verdict = Of(1, Asp, AckedPushUndoneBy(RestoreCause.Recovery));

        Assert.False(verdict.Holds);
        Assert.Equal("push w0#1/2 acked at shard 0 (version 41) but its application was undone by a restore to version 40 and never redone", verdict.Detail);
    }

    [Fact]
    public void A_rollback_may_discard_acked_pushes()
    {
        var verdict = Of(1, Asp, AckedPushUndoneBy(RestoreCause.Rollback));

        Assert.True(verdict.Holds);
        Assert.Equal("1 pushes applied, 0 duplicates applied, 0 duplicate deliveries acked without applying, 0 rejected, 1 applications undone by restores", verdict.Detail);
    }

    [Fact]
    public void A_restore_undoes_only_applications_above_its_version_and_only_at_its_shard()
    {
        var verdict = Of(1, Asp,
            new PushApplied(0, P("w0", 1, 1), 40, 0),
            new PushApplied(1, P("w0", 1, 2), 41, 0),
            new ShardRestored(0, 40, RestoreCause.Recovery),
            new ShardRestored(1, 30, RestoreCause.Recovery),
            new PushApplied(0, P("w0", 1, 1), 41, 0),
            new PushApplied(1, P("w0", 1, 2), 31, 0));

        Assert.False(verdict.Holds);
        Assert.Equal("push w0#1/1 applied twice at shard 0 (versions 40 and 41)", verdict.Detail);
    }

    [Fact]
    public void Several_violations_name_the_first_three_and_count_the_rest()
    {
        var verdict = Of(1, Asp,
            new PushApplied(0, P("w0", 1, 1), 1, 0),
            new PushApplied(0, P("w0", 1, 1), 2, 0),
            new PushApplied(0, P("w0", 1, 1), 3, 0),
            new PushApplied(0, P("w0", 1, 1), 4, 0),
            new PushApplied(0, P("w0", 1, 1), 5, 0));

        Assert.False(verdict.Holds);
        Assert.Equal(
            "push w0#1/1 applied twice at shard 0 (versions 1 and 2); push w0#1/1 applied twice at shard 0 (versions 1 and 3); "
            + "push w0#1/1 applied twice at shard 0 (versions 1 and 4); and 1 more", verdict.Detail);
    }

    /// <summary>Deliveries to two shards from three workers with resends; shards dedup as the real one does.</summary>
    private static readonly Gen<(int Shard, PushId Push)[]> Deliveries =
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[1, 6], (s, w, inc, seq) => (s, new PushId(Workers[w], inc, seq))).Array[1, 80];

    private static List<HistoryEvent> Simulate((int Shard, PushId Push)[] deliveries)
    {
        var dedup = new[] { new PushDedup(), new PushDedup() };
        var versions = new long[2];
        var history = new List<HistoryEvent>();
        foreach (var (shard, push) in deliveries)
        {
            history.Add(new PushSent(push, shard, push.Seq, versions[shard]));
            switch (dedup[shard].Admit(push))
            {
                case PushVerdict.Fresh:
                    versions[shard]++;
                    history.Add(new PushApplied(shard, push, versions[shard], 0));
                    history.Add(new PushAcked(shard, push, versions[shard], false));
                    break;
                case PushVerdict.Duplicate:
                    history.Add(new PushAcked(shard, push, versions[shard], true));
                    break;
                default:
                    history.Add(new PushRejected(shard, push, "stale incarnation"));
                    break;
            }
        }
        return history;
    }

    [Fact]
    public void Random_histories_with_duplicate_deliveries_deduplicated_hold() =>
        Deliveries.Sample(deliveries =>
        {
            var history = Simulate(deliveries);

            var verdict = Of(1, Asp, [.. history]);

            Assert.True(verdict.Holds, verdict.Detail);
            Assert.StartsWith($"{history.OfType<PushApplied>().Count()} pushes applied, 0 duplicates applied, ", verdict.Detail);
        }, iter: 300);

    [Fact]
    public void Inserting_a_second_application_of_an_applied_push_makes_it_fail() =>
        Gen.Select(Deliveries, Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Sample((deliveries, pick, place) =>
        {
            var history = Simulate(deliveries);
            var applied = history.Select((e, i) => (e, i)).Where(x => x.e is PushApplied).ToArray();
            var (original, at) = ((PushApplied)applied[pick % applied.Length].e, applied[pick % applied.Length].i);
            var again = original with { VersionAfter = 1000 };
            history.Insert(at + 1 + place % (history.Count - at), again);

            var verdict = Of(1, Asp, [.. history]);

            Assert.False(verdict.Holds);
            Assert.Equal($"push {original.Push} applied twice at shard {original.Shard} (versions {original.VersionAfter} and 1000)", verdict.Detail);
        }, iter: 300);

    [Fact]
    public void A_push_bsp_acked_as_superseded_by_another_copy_of_its_micro_batch_need_not_be_applied()
    {
        var acked = new PushAcked(0, P("w1", 1, 4), 8, true);

        Assert.True(Of(1, Bsp, new PushApplied(0, P("w0", 1, 4), 8, 0), new PushRejected(0, P("w1", 1, 4), "superseded", Superseded: true), acked).Holds);
        Assert.False(Of(1, Bsp, new PushApplied(0, P("w0", 1, 4), 8, 0), new PushRejected(0, P("w1", 1, 4), "duplicate"), acked).Holds);
    }

    [Fact]
    public void A_resume_discards_the_acked_pushes_above_its_checkpoint_even_after_a_recovery_undid_them_first()
    {
        var verdict = Of(1, Bsp,
            new PushApplied(0, P("w0", 1, 1), 16, 0),
            new PushAcked(0, P("w0", 1, 1), 16, false),
            new PushApplied(0, P("w0", 1, 2), 17, 0),
            new PushAcked(0, P("w0", 1, 2), 17, false),
            new ShardRestored(0, 16, RestoreCause.Recovery),
            new RunRolledBack(2, [new ShardVersion(0, 16)], new(1, 0), []));

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.Equal("1 pushes applied, 0 duplicates applied, 0 duplicate deliveries acked without applying, 0 rejected, 1 applications undone by restores",
            verdict.Detail);
    }

    [Fact]
    public void A_recovery_alone_does_not_discard_acked_pushes()
    {
        var verdict = Of(1, Bsp,
            new PushApplied(0, P("w0", 1, 2), 17, 0),
            new PushAcked(0, P("w0", 1, 2), 17, false),
            new ShardRestored(0, 16, RestoreCause.Recovery));

        Assert.False(verdict.Holds);
        Assert.Equal("push w0#1/2 acked at shard 0 (version 17) but its application was undone by a restore to version 16 and never redone", verdict.Detail);
    }

    [Fact]
    public void A_resume_discards_acks_above_its_checkpoint_whose_application_a_killed_head_never_flushed()
    {
        var verdict = Of(1, Bsp,
            new PushApplied(0, P("w0", 1, 1), 32, 0),
            new PushAcked(0, P("w0", 1, 1), 32, false),
            new PushAcked(0, P("w0", 1, 2), 33, false),
            new RunRolledBack(2, [new ShardVersion(0, 32)], new(1, 0), []));

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.False(Of(1, Bsp, new PushAcked(0, P("w0", 1, 2), 32, false), new RunRolledBack(2, [new ShardVersion(0, 32)], new(1, 0), [])).Holds);
    }
}
