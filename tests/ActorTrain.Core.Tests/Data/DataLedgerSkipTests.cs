using ActorTrain.Core.Data;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Data;

/// <summary>
/// Skipped micro-batches (a divergence rollback's trouble window): marked while free, handed out and committed like any
/// other, and the mark kept through releases, rollbacks and snapshots.
/// </summary>
public sealed class DataLedgerSkipTests
{
    /// <summary>10 samples in micro-batches of 3, two per step: four micro-batches (two steps) per epoch, two epochs.</summary>
    private static readonly BatchPlan Plan = new(trainCount: 10, microBatchSize: 3, microBatchesPerStep: 2, epochs: 2, seed: 5);

    private static MicroBatchId M(int epoch, int index) => new(epoch, index);

    /// <summary>Hands out and commits the next <paramref name="count"/> micro-batches in plan order; gives their outcomes.</summary>
    private static CompletionOutcome[] Commit(DataLedger ledger, int count, string worker = "w0") =>
        [.. Enumerable.Range(0, count).Select(_ => ledger.Complete(worker, ledger.TryAssign(worker)!.MicroBatch))];

    [Fact]
    public void After_a_rollback_the_trouble_window_is_marked_skipped_and_still_handed_out_and_committed_in_plan_order()
    {
        var ledger = new DataLedger(Plan);
        Commit(ledger, 5);
        ledger.RollBackTo(LedgerPosition.AtStep(Plan, 1));

        ledger.Skip([M(0, 2), M(0, 3)], "loss spike at step 1");

        Assert.Equal("loss spike at step 1", ledger.SkipReasonOf(M(0, 2)));
        Assert.Equal("loss spike at step 1", ledger.SkipReasonOf(M(0, 3)));
        Assert.Null(ledger.SkipReasonOf(M(0, 1)));
        Assert.Null(ledger.SkipReasonOf(M(1, 0)));
        Assert.Equal([M(0, 2), M(0, 3)], ledger.Skipped.Keys.Order());
        Assert.Equal(0, ledger.SkippedMicroBatches);
        Assert.Equal(M(0, 2), ledger.PeekNext());

        Assert.Equal([CompletionOutcome.Completed, CompletionOutcome.CompletedEpoch], Commit(ledger, 2, "w1"));

        Assert.Equal(2, ledger.SkippedMicroBatches);
        Assert.Equal(4, ledger.CompletedMicroBatches);
        Assert.Equal(1, ledger.CurrentEpoch);
        Assert.Equal(M(1, 0), ledger.PeekNext());
    }

    [Fact]
    public void Micro_batches_handed_back_or_past_the_cursor_can_be_skipped_and_a_release_keeps_the_mark()
    {
        var ledger = new DataLedger(Plan);
        var held = ledger.TryAssign("w0")!.MicroBatch;
        ledger.Release("w0");

        ledger.Skip([held, M(1, 3)], "diverged");
        Assert.Equal(held, ledger.TryAssign("w1")!.MicroBatch);
        ledger.Release("w1");

        Assert.Equal("diverged", ledger.SkipReasonOf(held));
        Assert.Equal("diverged", ledger.SkipReasonOf(M(1, 3)));
        Assert.Equal(CompletionOutcome.Completed, ledger.Complete("w2", ledger.TryAssign("w2")!.MicroBatch));
        Assert.Equal(1, ledger.SkippedMicroBatches);
        Assert.Equal(2, ledger.ReissuedMicroBatches);
    }

    [Fact]
    public void Marking_an_id_again_keeps_its_first_reason()
    {
        var ledger = new DataLedger(Plan);

        ledger.Skip([M(0, 2)], "first");
        ledger.Skip([M(0, 2), M(0, 3), M(0, 3)], "second");

        Assert.Equal("first", ledger.SkipReasonOf(M(0, 2)));
        Assert.Equal("second", ledger.SkipReasonOf(M(0, 3)));
        Assert.Equal(2, ledger.Skipped.Count);
    }

    [Fact]
    public void Skipping_what_is_out_with_a_worker_committed_or_not_in_the_plan_is_refused_naming_it_and_marks_nothing()
    {
        var ledger = new DataLedger(Plan);
        Commit(ledger, 1);
        ledger.TryAssign("w1");

        var outstanding = Assert.Throws<ArgumentException>(() => ledger.Skip([M(0, 2), M(0, 1)], "r"));
        var committed = Assert.Throws<ArgumentException>(() => ledger.Skip([M(0, 0)], "r"));
        var pastTheEnd = Assert.Throws<ArgumentException>(() => ledger.Skip([M(2, 0)], "r"));
        var pastTheEpoch = Assert.Throws<ArgumentException>(() => ledger.Skip([M(0, 4)], "r"));

        Assert.Equal("e0/mb1 cannot be skipped: it is out with w1 (Parameter 'ids')", outstanding.Message);
        Assert.Equal("e0/mb0 cannot be skipped: it is committed (Parameter 'ids')", committed.Message);
        Assert.Equal("e2/mb0 cannot be skipped: it is not in the plan (Parameter 'ids')", pastTheEnd.Message);
        Assert.Equal("e0/mb4 cannot be skipped: it is not in the plan (Parameter 'ids')", pastTheEpoch.Message);
        Assert.Empty(ledger.Skipped);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void A_skip_needs_a_reason(string reason)
    {
        var ledger = new DataLedger(Plan);

        Assert.Throws<ArgumentException>(() => ledger.Skip([M(0, 0)], reason));
        Assert.Empty(ledger.Skipped);
    }

    [Fact]
    public void Marks_survive_a_second_rollback_and_count_again_once_recommitted()
    {
        var ledger = new DataLedger(Plan);
        Commit(ledger, 6);
        ledger.RollBackTo(LedgerPosition.AtStep(Plan, 2));
        ledger.Skip([M(1, 0), M(1, 1)], "spike at step 2");
        Commit(ledger, 3);
        Assert.Equal(2, ledger.SkippedMicroBatches);

        ledger.RollBackTo(LedgerPosition.AtStep(Plan, 1));

        Assert.Equal(0, ledger.SkippedMicroBatches);
        Assert.Equal("spike at step 2", ledger.SkipReasonOf(M(1, 0)));
        Assert.Equal("spike at step 2", ledger.SkipReasonOf(M(1, 1)));
        ledger.Skip([M(0, 2), M(0, 3), M(1, 0)], "spike at step 1");
        Assert.Equal("spike at step 2", ledger.SkipReasonOf(M(1, 0)));
        Assert.Equal("spike at step 1", ledger.SkipReasonOf(M(0, 3)));

        Commit(ledger, 6);

        Assert.Equal(4, ledger.SkippedMicroBatches);
        Assert.True(ledger.IsFinished);
    }

    [Fact]
    public void Export_carries_the_marks_in_id_order_and_Restore_gives_them_back()
    {
        var ledger = new DataLedger(Plan);
        Commit(ledger, 2);
        ledger.Skip([M(1, 1), M(0, 2)], "a");
        ledger.Skip([M(0, 3)], "b");
        Commit(ledger, 1);

        var state = ledger.Export();
        var restored = DataLedger.Restore(Plan, state);

        Assert.Equal([new(M(0, 2), "a"), new(M(0, 3), "b"), new(M(1, 1), "a")], state.Skipped!);
        Assert.Equal(state, restored.Export());
        Assert.Equal(1, restored.SkippedMicroBatches);
        Assert.Equal("b", restored.SkipReasonOf(M(0, 3)));
        Assert.NotEqual(state, state with { Skipped = [new(M(0, 2), "a")] });
        Assert.NotEqual(state, state with { Skipped = [new(M(0, 2), "a"), new(M(0, 3), "c"), new(M(1, 1), "a")] });
    }

    [Fact]
    public void A_state_without_marks_is_built_with_four_arguments_and_equals_an_export_without_marks()
    {
        var ledger = new DataLedger(Plan);
        Commit(ledger, 1);
        var state = new LedgerState(M(0, 1), [], [], 0);

        Assert.Equal(state, ledger.Export());
        Assert.Equal(state.GetHashCode(), ledger.Export().GetHashCode());
        Assert.Empty(DataLedger.Restore(Plan, state).Skipped);
    }

    private static readonly Gen<BatchPlan> Plans =
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 4], Gen.Int[1, 3], Gen.Int[1, 3], Gen.ULong).Select(p => new BatchPlan(p.Item1, p.Item2, p.Item3, p.Item4, p.Item5));

    /// <summary>Assign, commit, release, roll back to a position seen earlier, and (op 4) skip a free micro-batch.</summary>
    private static readonly Gen<(int Op, int Worker, int Pick)[]> Ops = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, 1000]).Array[0, 80];

    [Fact]
    public void Marks_change_nothing_else_the_ledger_does_and_are_counted_exactly_when_committed() =>
        Gen.Select(Plans, Ops).Sample((plan, ops) =>
        {
            var plain = new DataLedger(plan);
            var marked = new DataLedger(plan);
            var positions = new List<LedgerPosition> { LedgerPosition.Start };
            foreach (var (op, w, pick) in ops)
            {
                var worker = $"w{w}";
                switch (op)
                {
                    case 0:
                        Assert.Equal(plain.TryAssign(worker)?.MicroBatch, marked.TryAssign(worker)?.MicroBatch);
                        break;
                    case 1 when plain.HeldBy(worker) is { Count: > 0 } held:
                        var id = held[pick % held.Count];
                        Assert.Equal(plain.Complete(worker, id), marked.Complete(worker, id));
                        positions.Add(plain.Position);
                        break;
                    case 2:
                        Assert.Equal(plain.Release(worker), marked.Release(worker));
                        break;
                    case 3:
                        var position = positions[pick % positions.Count];
                        Assert.Equal(plain.RollBackTo(position), marked.RollBackTo(position));
                        break;
                    case 4 when Free(plan, marked) is { Count: > 0 } free:
                        marked.Skip([free[pick % free.Count]], $"r{pick}");
                        break;
                }
                Assert.Equal(plain.Export() with { Skipped = marked.Export().Skipped }, marked.Export());
                Assert.Equal(marked.Skipped.Keys.Count(k => marked.Check("nobody", k) == CompletionOutcome.AlreadyCompleted), marked.SkippedMicroBatches);
            }
            var restored = DataLedger.Restore(plan, marked.Export());
            Assert.Equal(marked.Skipped.OrderBy(s => s.Key), restored.Skipped.OrderBy(s => s.Key));
            Assert.Equal(marked.SkippedMicroBatches, restored.SkippedMicroBatches);
        }, iter: 300);

    /// <summary>What may be skipped now: handed back, or not yet handed out in plan order.</summary>
    private static List<MicroBatchId> Free(BatchPlan plan, DataLedger ledger)
    {
        var state = ledger.Export();
        var free = state.Returned.ToList();
        for (var e = 0; e < plan.Epochs; e++)
            for (var i = 0; i < plan.MicroBatchesPerEpoch; i++)
                if (M(e, i).CompareTo(state.Cursor) >= 0) free.Add(M(e, i));
        return free;
    }
}
