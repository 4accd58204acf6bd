using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class SampleCoverageCheckTests
{
    /// <summary>10 samples in micro-batches of 3: four per epoch (3, 3, 3 and 1 samples), two epochs.</summary>
    private static readonly BatchPlan Plan = new(10, 3, 2, 2, seed: 7);

    private static readonly InvariantCheckOptions BspPlan = Bsp with { Plan = Plan };
    private static readonly InvariantCheckOptions AspPlan = Asp with { Plan = Plan };

    private static MicroBatchId M(int epoch, int index) => new(epoch, index);

    private static MicroBatchCommitted C(int epoch, int index, string worker = "w0") =>
        new(M(epoch, index), worker, Plan.SamplesOf(M(epoch, index)).Length);

    /// <summary>A commit of a micro-batch of the trouble window of a divergence rollback: skipped, no samples trained on.</summary>
    private static MicroBatchCommitted S(int epoch, int index, string worker = "w0") => new(M(epoch, index), worker, 0, "loss spike");

    /// <summary>Every micro-batch of both epochs assigned and committed once, with the epoch ends and the final weights.</summary>
    private static List<HistoryEvent> CleanRun()
    {
        var history = new List<HistoryEvent>();
        for (var e = 0; e < 2; e++)
        {
            for (var i = 0; i < 4; i++)
            {
                history.Add(new MicroBatchAssigned(M(e, i), "w0", 1));
                history.Add(C(e, i));
            }
            history.Add(new EpochCompleted(e));
        }
        history.Add(new FinalWeights("abc"));
        return history;
    }

    [Fact]
    public void Holds_for_a_run_that_commits_every_micro_batch_once()
    {
        var verdict = Of(2, BspPlan, [.. CleanRun()]);

        Assert.True(verdict.Holds);
        Assert.Equal("each sample consumed once per epoch", verdict.Name);
        Assert.Equal("2 epochs checked, 8 commits, 0 re-issued, 0 micro-batches committed more than once, each of 10 samples consumed every epoch", verdict.Detail);
    }

    [Fact]
    public void Fails_under_BSP_when_a_micro_batch_is_committed_twice()
    {
        var history = CleanRun();
        history.Insert(4, C(0, 1, "w1"));

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb1 committed 2 times under BSP (by w0, w1)", verdict.Detail);
    }

    [Fact]
    public void Holds_in_async_modes_when_a_re_issued_micro_batch_is_committed_twice_and_counts_it()
    {
        var history = CleanRun();
        history.Insert(3, new MicroBatchReissued(M(0, 1), "worker w0 left"));
        history.Insert(4, C(0, 1, "w1"));

        var verdict = Of(2, AspPlan, [.. history]);

        Assert.True(verdict.Holds);
        Assert.Equal("2 epochs checked, 9 commits, 1 re-issued, 1 micro-batches committed more than once, each of 10 samples consumed every epoch", verdict.Detail);
    }

    [Theory]
    [InlineData(ConsistencyMode.Bsp)]
    [InlineData(ConsistencyMode.Asp)]
    [InlineData(ConsistencyMode.Ssp)]
    public void Fails_in_every_mode_when_a_completed_epoch_misses_a_micro_batch(ConsistencyMode mode)
    {
        var history = CleanRun();
        history.RemoveAll(e => e is MicroBatchCommitted c && c.MicroBatch == M(1, 3));

        var verdict = Of(2, new InvariantCheckOptions(mode) { Plan = Plan }, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e1/mb3 never committed in epoch 1 (1 samples not consumed)", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_commit_reports_another_sample_count_than_the_plan()
    {
        var history = CleanRun();
        history[1] = new MicroBatchCommitted(M(0, 0), "w0", 2);

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb0 committed with 2 samples, the plan has 3", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_commit_names_a_micro_batch_outside_the_plan()
    {
        var history = CleanRun();
        history.Insert(0, new MicroBatchCommitted(M(0, 4), "w0", 3));

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb4 is not in the plan", verdict.Detail);
    }

    [Fact]
    public void An_epoch_still_in_progress_is_not_judged_until_the_run_has_ended()
    {
        var history = CleanRun().Take(13).ToList();

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.True(verdict.Holds);
        Assert.Equal("1 epochs checked, 6 commits, 0 re-issued, 0 micro-batches committed more than once, each of 10 samples consumed every epoch, 1 epochs in progress not checked", verdict.Detail);
    }

    [Fact]
    public void Once_the_final_weights_are_recorded_every_epoch_of_the_plan_is_judged()
    {
        var history = CleanRun().Take(9).Append(new FinalWeights("abc")).ToList();

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.StartsWith("micro-batch e1/mb0 never committed in epoch 1 (3 samples not consumed); ", verdict.Detail);
        Assert.EndsWith("; and 1 more", verdict.Detail);
    }

    [Fact]
    public void Without_a_plan_every_micro_batch_id_up_to_the_highest_seen_must_be_committed()
    {
        var verdict = Of(2, Bsp, C(0, 0), C(0, 1), C(0, 3), new EpochCompleted(0));

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb2 never committed in epoch 0", verdict.Detail);
    }

    [Fact]
    public void Without_a_plan_a_run_holds_on_micro_batch_ids_alone()
    {
        var verdict = Of(2, Bsp, C(0, 0), C(0, 1), new EpochCompleted(0));

        Assert.True(verdict.Holds);
        Assert.Equal("1 epochs checked, 2 commits, 0 re-issued, 0 micro-batches committed more than once", verdict.Detail);
    }

    [Fact]
    public void Exactly_once_applies_only_to_epochs_committed_wholly_under_BSP()
    {
        var history = CleanRun();
        history.Insert(0, new ModeChanged(ConsistencyMode.Bsp, 0, 0));
        history.Insert(5, C(0, 1, "w1"));
        history.Insert(history.FindIndex(e => e is EpochCompleted) + 1, new ModeChanged(ConsistencyMode.Asp, 0, 4));
        history.Insert(history.FindLastIndex(e => e is EpochCompleted), C(1, 2, "w1"));

        var verdict = Of(2, AspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb1 committed 2 times under BSP (by w0, w1)", verdict.Detail);
    }

    [Fact]
    public void A_resume_undoes_the_commits_after_its_position_and_a_bsp_run_that_makes_them_again_holds()
    {
        var history = new List<HistoryEvent> { C(0, 0), C(0, 1), C(0, 2), C(0, 3), new EpochCompleted(0), C(1, 0), C(1, 1) };
        // Resumed from a checkpoint at e1/mb1 (e1/mb0 done): e1/mb1 is committed again, then the rest.
        history.Add(new RunRolledBack(2, [new ShardVersion(0, 3)], M(1, 1), []));
        history.AddRange([C(1, 1, "w1"), C(1, 2, "w1"), C(1, 3, "w1"), new EpochCompleted(1), new FinalWeights("abc")]);

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.Equal("2 epochs checked, 9 commits, 0 re-issued, 0 micro-batches committed more than once, each of 10 samples consumed every epoch, "
                     + "1 commits undone by rollbacks, 0 known only from the checkpoint resumed from", verdict.Detail);
    }

    [Fact]
    public void A_commit_lost_with_a_killed_session_s_tail_counts_when_the_checkpoint_resumed_from_holds_it()
    {
        // e0/mb3's commit never reached the stopped session's history file; the checkpoint at e1/mb0 holds it.
        var history = new HistoryEvent[]
        {
            C(0, 0), C(0, 1), C(0, 2), new RunRolledBack(1, [], M(1, 0), []),
            C(1, 0), C(1, 1), C(1, 2), C(1, 3), new FinalWeights("abc"),
        };

        var verdict = Of(2, BspPlan, history);

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.EndsWith("0 commits undone by rollbacks, 1 known only from the checkpoint resumed from", verdict.Detail);
    }

    [Fact]
    public void A_commit_lost_with_a_killed_head_s_tail_counts_when_the_coordinator_that_took_over_recovered_it_from_the_journal()
    {
        // e0/mb3's commit never reached the killed head's history file; the standby's coordinator replayed it (cursor e1/mb1).
        var history = new HistoryEvent[]
        {
            C(0, 0), C(0, 1), C(0, 2), new CoordinatorRecovered(M(1, 1), [M(1, 0)]),
            C(1, 0, "w1"), C(1, 1), C(1, 2), C(1, 3), new FinalWeights("abc"),
        };

        var verdict = Of(2, BspPlan, history);

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.EndsWith("each of 10 samples consumed every epoch, 1 known only from a recovered coordinator's journal", verdict.Detail);
    }

    [Fact]
    public void A_recovered_coordinator_does_not_vouch_for_what_its_journal_left_undone()
    {
        var history = new HistoryEvent[]
        {
            C(0, 0), C(0, 1), new CoordinatorRecovered(M(1, 0), [M(0, 2)]), C(0, 3), C(1, 0), C(1, 1), C(1, 2), C(1, 3), new FinalWeights("abc"),
        };

        var verdict = Of(2, BspPlan, history);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb2 never committed in epoch 0 (3 samples not consumed)", verdict.Detail);
    }

    [Fact]
    public void A_resume_does_not_vouch_for_what_its_position_leaves_undone()
    {
        var history = new HistoryEvent[]
        {
            C(0, 0), C(0, 1), C(0, 2), C(0, 3), new RunRolledBack(1, [], M(1, 0), [M(0, 2)]),
            C(1, 0), C(1, 1), C(1, 2), C(1, 3), new FinalWeights("abc"),
        };

        var verdict = Of(2, BspPlan, history);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb2 never committed in epoch 0 (3 samples not consumed)", verdict.Detail);
    }

    [Fact]
    public void Holds_under_BSP_when_a_rolled_back_window_is_committed_once_as_skipped_and_counts_it()
    {
        // Diverged in e1's first step: back to the checkpoint at e1/mb0, whose step is then committed as skipped.
        var history = new List<HistoryEvent> { C(0, 0), C(0, 1), C(0, 2), C(0, 3), new EpochCompleted(0), C(1, 0), C(1, 1) };
        history.Add(new RunRolledBack(1, [new ShardVersion(0, 2)], M(1, 0), []));
        history.AddRange([S(1, 0, "w1"), S(1, 1, "w1"), C(1, 2, "w1"), C(1, 3, "w1"), new EpochCompleted(1), new FinalWeights("abc")]);

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.Equal("2 epochs checked, 10 commits, 0 re-issued, 0 micro-batches committed more than once, each of 10 samples consumed every epoch, "
                     + "2 micro-batches skipped, 2 commits undone by rollbacks, 0 known only from the checkpoint resumed from", verdict.Detail);
    }

    [Fact]
    public void A_skipped_micro_batch_needs_no_rollback_and_counts_once_however_often_it_is_committed_in_async_modes()
    {
        var history = CleanRun();
        history[history.IndexOf(C(0, 3))] = S(0, 3);
        history.Insert(history.IndexOf(S(0, 3)) + 1, S(0, 3, "w1"));

        var verdict = Of(2, AspPlan, [.. history]);

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.Equal("2 epochs checked, 9 commits, 0 re-issued, 1 micro-batches committed more than once, each of 10 samples consumed every epoch, "
                     + "1 micro-batches skipped", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_skipped_commit_reports_samples()
    {
        var history = CleanRun();
        history[history.IndexOf(C(0, 1))] = new MicroBatchCommitted(M(0, 1), "w0", 3, "loss spike");

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb1 committed as skipped with 3 samples", verdict.Detail);
    }

    [Fact]
    public void Fails_under_BSP_when_a_skipped_micro_batch_is_committed_twice()
    {
        var history = CleanRun();
        history[history.IndexOf(C(1, 2))] = S(1, 2);
        history.Insert(history.IndexOf(S(1, 2)) + 1, C(1, 2, "w1"));

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e1/mb2 committed 2 times under BSP (by w0, w1)", verdict.Detail);
    }

    [Fact]
    public void Skipping_some_micro_batches_does_not_excuse_one_never_committed()
    {
        var history = CleanRun();
        history[history.IndexOf(C(1, 0))] = S(1, 0);
        history.Remove(C(1, 1));

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e1/mb1 never committed in epoch 1 (3 samples not consumed)", verdict.Detail);
    }

    [Fact]
    public void A_skipped_commit_undone_by_a_later_rollback_no_longer_counts()
    {
        var history = new List<HistoryEvent> { C(0, 0), C(0, 1), C(0, 2), C(0, 3), new EpochCompleted(0), S(1, 0), S(1, 1) };
        history.Add(new RunRolledBack(1, [], M(1, 0), []));
        history.AddRange([C(1, 0, "w1"), C(1, 1, "w1"), C(1, 2, "w1"), C(1, 3, "w1"), new EpochCompleted(1), new FinalWeights("abc")]);

        var verdict = Of(2, BspPlan, [.. history]);

        Assert.True(verdict.Holds, verdict.Detail);
        Assert.Equal("2 epochs checked, 10 commits, 0 re-issued, 0 micro-batches committed more than once, each of 10 samples consumed every epoch, "
                     + "2 commits undone by rollbacks, 0 known only from the checkpoint resumed from", verdict.Detail);
    }

    [Fact]
    public void A_skipped_commit_undone_by_a_later_rollback_and_not_made_again_leaves_its_micro_batch_uncommitted()
    {
        var history = new HistoryEvent[]
        {
            C(0, 0), C(0, 1), S(0, 2), new RunRolledBack(1, [], M(0, 2), []), C(0, 3), C(1, 0), C(1, 1), C(1, 2), C(1, 3), new FinalWeights("abc"),
        };

        var verdict = Of(2, BspPlan, history);

        Assert.False(verdict.Holds);
        Assert.Equal("micro-batch e0/mb2 never committed in epoch 0 (3 samples not consumed)", verdict.Detail);
    }
}
