using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class InvariantCheckerTests
{
    [Fact]
    public void Gives_one_verdict_per_invariant_one_to_five_in_order()
    {
        var verdicts = InvariantChecker.Check([], Bsp);

        Assert.Equal([1, 2, 3, 4, 5], verdicts.Select(v => v.Number));
        Assert.Equal(
            [
                "no push applied twice", "each sample consumed once per epoch", "SSP staleness within the bound",
                "BSP weights equal the reference", "complete checkpoints are whole",
            ],
            verdicts.Select(v => v.Name));
    }

    [Fact]
    public void A_recorded_fault_free_BSP_run_holds_every_invariant()
    {
        var plan = new BatchPlan(8, 2, 2, 1, seed: 3);
        var recorder = new HistoryRecorder("p");
        var version = 0L;
        for (var step = 0; step < plan.StepsPerEpoch; step++)
        {
            for (var k = 0; k < 2; k++)
            {
                var mb = new MicroBatchId(0, step * 2 + k);
                var push = P($"w{k}", 1, step + 1);
                recorder.Record(new MicroBatchAssigned(mb, push.WorkerId, 1));
                recorder.Record(new PushSent(push, 0, step, version));
                recorder.Record(new MicroBatchCommitted(mb, push.WorkerId, 2));
            }
            version++;
            for (var k = 0; k < 2; k++)
            {
                recorder.Record(new PushApplied(0, P($"w{k}", 1, step + 1), version, 0));
                recorder.Record(new PushAcked(0, P($"w{k}", 1, step + 1), version, false));
            }
            recorder.Record(new CheckpointRecorded(step, [new ShardVersion(0, version)], true));
        }
        recorder.Record(new EpochCompleted(0));
        recorder.Record(new FinalWeights("cafe"));

        var verdicts = InvariantChecker.Check(recorder.Unflushed(), Bsp with { Plan = plan, ReferenceWeightsHash = "cafe", LoadCheckpoint = _ => null });

        Assert.All(verdicts, v => Assert.True(v.Holds, InvariantReport.Line(v)));
        Assert.Equal(
            """
            invariant 1 (no push applied twice): holds — 4 pushes applied, 0 duplicates applied, 0 duplicate deliveries acked without applying, 0 rejected, 0 applications undone by restores
            invariant 2 (each sample consumed once per epoch): holds — 1 epochs checked, 4 commits, 0 re-issued, 0 micro-batches committed more than once, each of 8 samples consumed every epoch
            invariant 3 (SSP staleness within the bound): not checked — SSP was never on
            invariant 4 (BSP weights equal the reference): holds — final weights cafe equal the reference
            invariant 5 (complete checkpoints are whole): holds — 2 complete checkpoints checked (1 shards each), 0 incomplete ignored
            """,
            InvariantReport.Format(verdicts));
    }

    [Fact]
    public void Options_reject_a_negative_staleness_bound() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InvariantCheckOptions(ConsistencyMode.Ssp, -1));
}
