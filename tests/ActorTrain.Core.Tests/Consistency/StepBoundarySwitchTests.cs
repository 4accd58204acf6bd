using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class StepBoundarySwitchTests
{
    // 10 samples in micro-batches of 2: 5 per epoch, 2 per step, so steps of 2, 2 and 1 micro-batches; 2 epochs.
    private static readonly BatchPlan Plan = new(trainCount: 10, microBatchSize: 2, microBatchesPerStep: 2, epochs: 2, seed: 3);

    private static DataLedger Ledger(int handedOut, int committed)
    {
        var ledger = new DataLedger(Plan);
        var ids = new List<MicroBatchId>();
        for (var i = 0; i < handedOut; i++) ids.Add(ledger.TryAssign("w")!.MicroBatch);
        foreach (var id in ids.Take(committed))
            Assert.Contains(ledger.Complete("w", id), new[] { CompletionOutcome.Completed, CompletionOutcome.CompletedEpoch });
        return ledger;
    }

    [Fact]
    public void Work_goes_on_until_the_next_micro_batch_begins_a_step()
    {
        var ledger = Ledger(handedOut: 1, committed: 1); // step 0's second micro-batch is next
        Assert.Equal((SwitchProgress.Assign, "step 0 is not all handed out"), StepBoundarySwitch.Decide(ledger));
    }

    [Fact]
    public void At_the_boundary_it_waits_for_every_micro_batch_out_then_switches()
    {
        var ledger = Ledger(handedOut: 4, committed: 3);
        Assert.Equal((SwitchProgress.Drain, "at the boundary before step 2: 1 micro-batch(es) still to be committed"), StepBoundarySwitch.Decide(ledger));

        ledger.Complete("w", new MicroBatchId(0, 3));

        Assert.Equal((SwitchProgress.Switch, "every micro-batch before step 2 is committed"), StepBoundarySwitch.Decide(ledger));
        Assert.Equal(2, StepBoundarySwitch.FirstStep(ledger));
    }

    [Fact]
    public void A_step_of_its_own_at_an_epochs_end_is_a_boundary_on_both_sides()
    {
        var ledger = Ledger(handedOut: 5, committed: 5); // epoch 0 done: next is epoch 1's first micro-batch, plan step 3
        Assert.Equal(SwitchProgress.Switch, StepBoundarySwitch.Decide(ledger).Progress);
        Assert.Equal(3, StepBoundarySwitch.FirstStep(ledger));
        Assert.Equal(SwitchProgress.Switch, StepBoundarySwitch.Decide(Ledger(handedOut: 4, committed: 4)).Progress);
    }

    [Fact]
    public void What_a_lost_worker_held_goes_out_again_before_the_boundary_holds()
    {
        var ledger = new DataLedger(Plan);
        ledger.TryAssign("lost");
        ledger.TryAssign("w");
        ledger.Release("lost"); // step 0's first micro-batch is back, the cursor is at step 1

        Assert.Equal((SwitchProgress.Assign, "1 micro-batch(es) handed back before the boundary go out first"), StepBoundarySwitch.Decide(ledger));
        ledger.TryAssign("w");
        Assert.Equal(SwitchProgress.Drain, StepBoundarySwitch.Decide(ledger).Progress);
    }

    [Fact]
    public void Bsp_starts_every_shard_at_the_highest_version_and_numbers_steps_from_there()
    {
        Assert.Equal((41L, 39L), StepBoundarySwitch.Offset(firstStep: 2, [17, 41, 40]));
        Assert.Equal((3L, -4L), StepBoundarySwitch.Offset(firstStep: 7, [3, 3])); // local SGD: fewer updates than steps
        Assert.Throws<ArgumentException>(() => StepBoundarySwitch.Offset(firstStep: 2, []));
    }
}
