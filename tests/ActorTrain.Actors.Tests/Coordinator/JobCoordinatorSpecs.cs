using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using Akka.Actor;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>
/// The persistent coordinator against probes for its workers, shards, evaluator and observer, with the in-memory journal:
/// created again, it goes on where it was; asked to resume, it goes back to its last complete checkpoint. BSP, so its
/// checkpoints are at step boundaries.
/// </summary>
public sealed class JobCoordinatorSpecs : CoordinatorSpec
{
    private IActorRef Coordinator(bool resume = false, long checkpointEvery = 2) =>
        Coordinator(ConsistencyMode.Bsp, new CheckpointSchedule(checkpointEvery, Plan.TotalSteps), resume);

    private static WorkAssigned Request(TestProbe worker, IActorRef coordinator, long incarnation = 1)
    {
        worker.Send(coordinator, new RequestWork("w1", incarnation));
        return worker.ExpectMsg<WorkAssigned>();
    }

    private static void Complete(TestProbe worker, IActorRef coordinator, WorkAssigned work, long incarnation = 1)
    {
        worker.Send(coordinator, new BatchCompleted("w1", incarnation, work.Epoch, work.MicroBatch, 1f, work.SampleIndices.Length, 0));
        Assert.Equal(new BatchCommitted(work.Epoch, work.MicroBatch), worker.ExpectMsg<BatchCommitted>());
    }

    [Fact]
    public void Created_again_it_replays_to_where_it_was_and_the_run_goes_on()
    {
        var worker = CreateTestProbe();
        var coordinator = Coordinator(checkpointEvery: 0);
        var first = Request(worker, coordinator);
        var second = Request(worker, coordinator);
        Complete(worker, coordinator, first);
        for (var n = 0; n < 4; n++) Complete(worker, coordinator, Request(worker, coordinator)); // past a coordinator snapshot

        Stop(coordinator);
        coordinator = Coordinator(checkpointEvery: 0);

        // It tells the worker its journal names that it is back, so the worker resends at once: five durable commits are
        // two whole updates of two micro-batches.
        Assert.Equal(2, worker.ExpectMsg<CoordinatorRestarted>().Updates);
        // The micro-batch the last instance handed out is still the worker's to commit, and nothing is handed out twice.
        Complete(worker, coordinator, second);
        var next = Request(worker, coordinator);
        Assert.Equal((1, 2), (next.Epoch, next.MicroBatch));
        Complete(worker, coordinator, next);
        for (var n = 0; n < 5; n++) Complete(worker, coordinator, Request(worker, coordinator));
        var done = Finish();
        Assert.Equal((6L, 24L, 0L), (done.Updates, done.Samples, done.ReissuedMicroBatches));
        Assert.Equal(12, done.MicroBatchesByWorker["w1"]);
    }

    [Fact]
    public void A_bsp_checkpoint_is_asked_for_one_step_ahead_and_recorded_when_every_shard_has_taken_it()
    {
        var worker = CreateTestProbe();
        var coordinator = Coordinator();
        Complete(worker, coordinator, Request(worker, coordinator));
        Complete(worker, coordinator, Request(worker, coordinator));
        foreach (var shard in Shards) shard.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        var stepBeforeTheBoundary = Request(worker, coordinator);

        Assert.Equal(1, stepBeforeTheBoundary.Step);
        for (var s = 0; s < Shards.Length; s++)
        {
            Assert.Equal(new TakeCheckpoint(s, CheckpointId: 1, AtVersion: 2), Shards[s].ExpectMsg<TakeCheckpoint>());
            Observer.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // incomplete until the last shard's snapshot is in
            Shards[s].Reply(new CheckpointTaken(s, 1, Version: 2));
        }
        var recorded = Observer.ExpectMsg<CheckpointRecorded>();
        Assert.Equal((1L, 2L), (recorded.Id, recorded.Updates));
        Assert.Equal([2L, 2L], recorded.ShardVersions);
    }

    [Fact]
    public void Resumed_it_goes_back_to_its_last_complete_checkpoint_and_hands_out_again_what_came_after()
    {
        var worker = CreateTestProbe();
        var coordinator = Coordinator();
        for (var n = 0; n < 3; n++) Complete(worker, coordinator, Request(worker, coordinator));
        for (var s = 0; s < Shards.Length; s++)
        {
            Shards[s].ExpectMsg<TakeCheckpoint>();
            Shards[s].Reply(new CheckpointTaken(s, 1, Version: 2));
        }
        Observer.ExpectMsg<CheckpointRecorded>();
        // Past the checkpoint: step 2 committed, step 3's checkpoint asked for but never complete, one micro-batch out.
        WorkAssigned last = null!;
        for (var n = 0; n < 3; n++) Complete(worker, coordinator, last = Request(worker, coordinator));
        Request(worker, coordinator);
        Complete(worker, coordinator, last); // a repeat is answered once everything before it is durable, the assignment too
        Stop(coordinator);

        coordinator = Coordinator(resume: true);

        Assert.Equal(new CheckpointRestored(1, Updates: 2), Observer.ExpectMsg<CheckpointRestored>());
        var again = Request(worker, coordinator, incarnation: 2);
        Assert.Equal((1, 0, 2L), (again.Epoch, again.MicroBatch, again.Step)); // step 2 begins epoch 1
        Complete(worker, coordinator, again, incarnation: 2);
        for (var n = 0; n < 7; n++) Complete(worker, coordinator, Request(worker, coordinator, incarnation: 2), incarnation: 2);
        var done = Finish();
        Assert.Equal((6L, 24L), (done.Updates, done.Samples));
        Assert.Equal(2 + 1, done.ReissuedMicroBatches); // the two committed after the checkpoint, and the one out
    }
}
