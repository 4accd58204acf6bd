using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Durability;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>
/// The persistent coordinator against probes for its workers, shards, evaluator and observer, with the in-memory journal:
/// created again, it goes on where it was; asked to resume, it goes back to its last complete checkpoint. BSP, so its
/// checkpoints are at step boundaries.
/// </summary>
public sealed class JobCoordinatorSpecs : Akka.TestKit.Xunit2.TestKit
{
    // 8 samples in micro-batches of 2: 4 per epoch, 2 per step, so 2 steps per epoch; 3 epochs: 6 steps, 12 micro-batches.
    private static readonly BatchPlan Plan = new(trainCount: 8, microBatchSize: 2, microBatchesPerStep: 2, epochs: 3, seed: 1);
    private readonly string _persistenceId = $"spec-{Guid.NewGuid():N}/coordinator";
    private readonly TestProbe[] _shards;
    private readonly TestProbe _evaluator;
    private readonly TestProbe _observer;

    public JobCoordinatorSpecs()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        _shards = [CreateTestProbe(), CreateTestProbe()];
        _evaluator = CreateTestProbe();
        _observer = CreateTestProbe();
        _observer.IgnoreMessages<JobProgressed>();
    }

    private IActorRef Coordinator(bool resume = false, long checkpointEvery = 2) =>
        Sys.ActorOf(JobCoordinator.Props(new CoordinatorSetup(Plan, ConsistencyMode.Bsp, _evaluator.Ref, [.. _shards.Select(s => s.Ref)], _observer.Ref,
            EvaluateEveryUpdates: 0, ProgressInterval: TimeSpan.FromHours(1), Staleness: 0, InnerSteps: 0, _persistenceId, ["shard-0/checkpoints", "shard-1/checkpoints"],
            new CheckpointSchedule(checkpointEvery, Plan.TotalSteps), SnapshotEvery: 5, resume)));

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

    private void Stop(IActorRef coordinator)
    {
        Watch(coordinator);
        Sys.Stop(coordinator);
        ExpectTerminated(coordinator);
    }

    /// <summary>Answers the final evaluation and the shards' statistics; gives what the observer is told at the end.</summary>
    private JobCompleted Finish()
    {
        Assert.True(_evaluator.FishForMessage(m => m is EvaluateParameters { Final: true }) is EvaluateParameters);
        _evaluator.Reply(new ParametersEvaluated(6, 6, 0.5, 0.75, true, 0.5, 0.75, "weights"));
        for (var s = 0; s < _shards.Length; s++)
        {
            _shards[s].FishForMessage(m => m is ReportStatistics);
            _shards[s].Reply(new ShardStatistics(s, 6, [], []));
        }
        return (JobCompleted)_observer.FishForMessage(m => m is JobCompleted);
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
        foreach (var shard in _shards) shard.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        var stepBeforeTheBoundary = Request(worker, coordinator);

        Assert.Equal(1, stepBeforeTheBoundary.Step);
        for (var s = 0; s < _shards.Length; s++)
        {
            Assert.Equal(new TakeCheckpoint(s, CheckpointId: 1, AtVersion: 2), _shards[s].ExpectMsg<TakeCheckpoint>());
            _observer.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // incomplete until the last shard's snapshot is in
            _shards[s].Reply(new CheckpointTaken(s, 1, Version: 2));
        }
        var recorded = _observer.ExpectMsg<CheckpointRecorded>();
        Assert.Equal((1L, 2L), (recorded.Id, recorded.Updates));
        Assert.Equal([2L, 2L], recorded.ShardVersions);
    }

    [Fact]
    public void Resumed_it_goes_back_to_its_last_complete_checkpoint_and_hands_out_again_what_came_after()
    {
        var worker = CreateTestProbe();
        var coordinator = Coordinator();
        for (var n = 0; n < 3; n++) Complete(worker, coordinator, Request(worker, coordinator));
        for (var s = 0; s < _shards.Length; s++)
        {
            _shards[s].ExpectMsg<TakeCheckpoint>();
            _shards[s].Reply(new CheckpointTaken(s, 1, Version: 2));
        }
        _observer.ExpectMsg<CheckpointRecorded>();
        // Past the checkpoint: step 2 committed, step 3's checkpoint asked for but never complete, one micro-batch out.
        WorkAssigned last = null!;
        for (var n = 0; n < 3; n++) Complete(worker, coordinator, last = Request(worker, coordinator));
        Request(worker, coordinator);
        Complete(worker, coordinator, last); // a repeat is answered once everything before it is durable, the assignment too
        Stop(coordinator);

        coordinator = Coordinator(resume: true);

        Assert.Equal(new CheckpointRestored(1, Updates: 2), _observer.ExpectMsg<CheckpointRestored>());
        var again = Request(worker, coordinator, incarnation: 2);
        Assert.Equal((1, 0, 2L), (again.Epoch, again.MicroBatch, again.Step)); // step 2 begins epoch 1
        Complete(worker, coordinator, again, incarnation: 2);
        for (var n = 0; n < 7; n++) Complete(worker, coordinator, Request(worker, coordinator, incarnation: 2), incarnation: 2);
        var done = Finish();
        Assert.Equal((6L, 24L), (done.Updates, done.Samples));
        Assert.Equal(2 + 1, done.ReissuedMicroBatches); // the two committed after the checkpoint, and the one out
    }
}
