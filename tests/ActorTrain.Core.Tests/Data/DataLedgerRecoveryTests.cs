using ActorTrain.Core.Data;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Data;

/// <summary>
/// What a persistent coordinator needs of its ledger: recorded assignments replay to the same ledger, a snapshot of it
/// restores exactly, and a checkpoint's position can be gone back to.
/// </summary>
public sealed class DataLedgerRecoveryTests
{
    private static readonly string[] Workers = ["w0", "w1", "w2"];

    /// <summary>A ledger driven by seeded random assigns, commits and releases; with the decisions it took, in order.</summary>
    private static (DataLedger Ledger, List<Action<DataLedger>> Replay) Drive(BatchPlan plan, (int Op, int Worker, int Pick)[] ops) =>
        Drive(new DataLedger(plan), ops);

    private static (DataLedger Ledger, List<Action<DataLedger>> Replay) Drive(DataLedger ledger, (int Op, int Worker, int Pick)[] ops)
    {
        var replay = new List<Action<DataLedger>>();
        foreach (var (op, w, pick) in ops)
        {
            var worker = Workers[w];
            switch (op)
            {
                case 0 when ledger.TryAssign(worker) is { } assignment:
                    replay.Add(l => l.Assign(worker, assignment.MicroBatch));
                    break;
                case 1 when ledger.HeldBy(worker) is { Count: > 0 } held:
                    var id = held[pick % held.Count];
                    Assert.Equal(ledger.Check(worker, id), ledger.Complete(worker, id));
                    replay.Add(l => l.Complete(worker, id));
                    break;
                case 2:
                    ledger.Release(worker);
                    replay.Add(l => l.Release(worker));
                    break;
            }
        }
        return (ledger, replay);
    }

    private static readonly Gen<(BatchPlan, (int, int, int)[])> Runs = Gen.Select(
        Gen.Select(Gen.Int[1, 30], Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int[1, 3], Gen.ULong).Select(p => new BatchPlan(p.Item1, p.Item2, p.Item3, p.Item4, p.Item5)),
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 100]).Array[0, 80]);

    [Fact]
    public void Replaying_the_recorded_assignments_commits_and_releases_gives_the_same_ledger() =>
        Runs.Sample((plan, ops) =>
        {
            var (ledger, replay) = Drive(plan, ops);
            var again = new DataLedger(plan);
            foreach (var step in replay) step(again);

            Assert.Equal(ledger.Export(), again.Export());
            Assert.Equal(ledger.PeekNext(), again.PeekNext());
        }, iter: 300);

    [Fact]
    public void A_restored_export_is_the_same_ledger_and_goes_on_the_same_way() =>
        Runs.Sample((plan, ops) =>
        {
            var (ledger, _) = Drive(plan, ops);
            var restored = DataLedger.Restore(plan, ledger.Export());

            Assert.Equal(ledger.Export(), restored.Export());
            Assert.Equal((ledger.CompletedMicroBatches, ledger.ReissuedMicroBatches, ledger.OutstandingCount, ledger.CurrentEpoch, ledger.IsFinished),
                (restored.CompletedMicroBatches, restored.ReissuedMicroBatches, restored.OutstandingCount, restored.CurrentEpoch, restored.IsFinished));
            Assert.Equal(ledger.Position, restored.Position);
            for (var n = 0; n < 5; n++) Assert.Equal(ledger.TryAssign("w9")?.MicroBatch, restored.TryAssign("w9")?.MicroBatch);
        }, iter: 300);

    [Fact]
    public void Rolling_back_to_a_position_commits_exactly_what_it_had_committed_and_hands_out_the_rest_again() =>
        Runs.Sample((plan, ops) =>
        {
            var (later, _) = Drive(plan, ops[..(ops.Length / 2)]);
            var position = later.Position;
            var committedThen = Committed(plan, later);
            Drive(later, ops[(ops.Length / 2)..]);

            var before = later.ReissuedMicroBatches;
            var reissued = later.RollBackTo(position);

            Assert.Equal(0, later.OutstandingCount);
            Assert.Equal(position.Committed(plan), later.CompletedMicroBatches);
            Assert.Equal(committedThen.Count, later.CompletedMicroBatches);
            Assert.Equal(before + reissued, later.ReissuedMicroBatches);
            Assert.Equal(position, later.Position);
            // Run to the end: exactly the micro-batches not committed at the position go out, each once.
            var handedOut = new List<MicroBatchId>();
            while (later.TryAssign("w0") is { } assignment)
            {
                handedOut.Add(assignment.MicroBatch);
                later.Complete("w0", assignment.MicroBatch);
            }
            Assert.True(later.IsFinished);
            Assert.Equal(AllOf(plan).Except(committedThen).Order(), handedOut.Order());
        }, iter: 300);

    [Fact]
    public void Rolling_back_counts_as_reissued_what_was_committed_after_the_position_and_what_was_out()
    {
        var plan = new BatchPlan(trainCount: 20, microBatchSize: 2, microBatchesPerStep: 2, epochs: 1, seed: 3);
        var ledger = new DataLedger(plan);
        for (var i = 0; i < 4; i++) ledger.TryAssign("w0");
        ledger.Complete("w0", new MicroBatchId(0, 0));
        ledger.Complete("w0", new MicroBatchId(0, 1));
        var position = ledger.Position; // 0 and 1 committed, 2 and 3 out
        ledger.Complete("w0", new MicroBatchId(0, 2));
        ledger.TryAssign("w1");

        Assert.Equal(new LedgerPosition(new MicroBatchId(0, 4), [new(0, 2), new(0, 3)]), position);
        Assert.Equal(3, ledger.RollBackTo(position)); // 2 committed after the position; 3 and 4 were out
        Assert.Equal(2, ledger.CompletedMicroBatches);
        Assert.Equal(new MicroBatchId(0, 2), ledger.TryAssign("w1")!.MicroBatch);
        Assert.Equal(CompletionOutcome.NotAssigned, ledger.Complete("w0", new MicroBatchId(0, 3)));
    }

    [Fact]
    public void A_recorded_assignment_that_is_not_free_is_refused()
    {
        var ledger = new DataLedger(new BatchPlan(10, 2, 1, 1, seed: 1));
        ledger.TryAssign("w0");

        Assert.Throws<InvalidOperationException>(() => ledger.Assign("w1", new MicroBatchId(0, 0)));
        Assert.Throws<InvalidOperationException>(() => ledger.Assign("w1", new MicroBatchId(0, 3)));
        Assert.Equal(new MicroBatchId(0, 1), ledger.Assign("w1", new MicroBatchId(0, 1)).MicroBatch);
    }

    [Fact]
    public void A_position_outside_the_plan_is_refused()
    {
        var ledger = new DataLedger(new BatchPlan(10, 2, 1, 1, seed: 1));

        Assert.Throws<ArgumentException>(() => ledger.RollBackTo(new LedgerPosition(new MicroBatchId(0, 2), [new(0, 3)])));
        Assert.Throws<ArgumentException>(() => ledger.RollBackTo(new LedgerPosition(new MicroBatchId(2, 0), [])));
    }

    private static HashSet<MicroBatchId> Committed(BatchPlan plan, DataLedger ledger)
    {
        var position = ledger.Position;
        return [.. AllOf(plan).Where(id => id.CompareTo(position.Cursor) < 0 && !position.NotDone.Contains(id))];
    }

    private static IEnumerable<MicroBatchId> AllOf(BatchPlan plan) =>
        Enumerable.Range(0, plan.Epochs).SelectMany(e => Enumerable.Range(0, plan.MicroBatchesPerEpoch).Select(i => new MicroBatchId(e, i)));
}
