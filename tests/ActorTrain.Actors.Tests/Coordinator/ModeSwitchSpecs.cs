using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using Akka.Actor;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>
/// Live switches to and from BSP against probe workers and shards, with the in-memory journal: the switch waits for a
/// step boundary and for every micro-batch out, starts every shard at the highest version, numbers BSP steps from there,
/// and is replayed by a coordinator created again.
/// </summary>
public sealed class ModeSwitchSpecs : CoordinatorSpec
{
    private readonly TestProbe _worker;

    public ModeSwitchSpecs() => _worker = CreateTestProbe();

    private IActorRef Coordinator(long checkpointEvery = 0) => Coordinator(ConsistencyMode.Asp, new CheckpointSchedule(checkpointEvery, Plan.TotalMicroBatches));

    /// <summary>Switches an idle coordinator to BSP with every shard reporting <paramref name="version"/>.</summary>
    private ModeChanged SwitchToBsp(IActorRef coordinator, long version)
    {
        coordinator.Tell(new ChangeMode("bsp", 0), TestActor);
        ExpectMsg<ModeChangePending>();
        for (var s = 0; s < Shards.Length; s++)
        {
            Shards[s].ExpectMsg<ReportVersion>();
            Shards[s].Reply(new ShardVersionReported(s, version));
        }
        ShardsConfirm(new SetConsistency("bsp", 0, 0, StartVersion: version), version);
        return ExpectMsg<ModeChanged>();
    }

    private WorkAssigned Request(IActorRef coordinator)
    {
        _worker.Send(coordinator, new RequestWork("w1", 1));
        return _worker.FishForMessage<WorkAssigned>(_ => true);
    }

    private void Complete(IActorRef coordinator, WorkAssigned work)
    {
        _worker.Send(coordinator, new BatchCompleted("w1", 1, work.Epoch, work.MicroBatch, 1f, work.SampleIndices.Length, 0));
        _worker.FishForMessage<BatchCommitted>(c => c == new BatchCommitted(work.Epoch, work.MicroBatch));
    }

    /// <summary>Every shard is told <paramref name="expected"/> and confirms it as a shard does once its snapshot is written.</summary>
    private void ShardsConfirm(SetConsistency expected, long version)
    {
        for (var s = 0; s < Shards.Length; s++)
        {
            Assert.Equal(expected, Shards[s].FishForMessage<SetConsistency>(_ => true));
            Shards[s].Reply(new ConsistencySet(s, version, Durable: true));
        }
    }

    [Fact]
    public void Asp_to_bsp_and_back_stops_at_step_boundaries_and_numbers_bsp_steps_from_the_highest_shard_version()
    {
        var coordinator = Coordinator();
        Complete(coordinator, Request(coordinator));
        var secondOfStep0 = Request(coordinator);

        coordinator.Tell(new ChangeMode("bsp", 0), TestActor);

        Assert.Equal(new ModeChangePending("bsp", "at the boundary before step 1: 1 micro-batch(es) still to be committed"), ExpectMsg<ModeChangePending>());
        _worker.Send(coordinator, new RequestWork("w1", 1));
        _worker.FishForMessage<WorkRequestDeferred>(_ => true); // step 1 waits for the switch
        coordinator.Tell(new ChangeMode("asp", 0), TestActor);
        Assert.Equal("a switch to bsp is still waiting for its step boundary; ask again once it is in force", ExpectMsg<ModeChangeRejected>().Reason);

        Complete(coordinator, secondOfStep0);
        for (var s = 0; s < Shards.Length; s++)
        {
            Assert.Equal(new ReportVersion(s), Shards[s].ExpectMsg<ReportVersion>());
            Shards[s].Reply(new ShardVersionReported(s, s == 0 ? 2 : 7)); // shard 1 also took pushes a lost worker made
        }
        Assert.Equal(new SetConsistency("bsp", 0, 0, StartVersion: 7), _worker.FishForMessage<SetConsistency>(_ => true));
        ShardsConfirm(new SetConsistency("bsp", 0, 0, StartVersion: 7), version: 7);

        var toBsp = ExpectMsg<ModeChanged>();
        Assert.Equal(new ModeChanged("bsp", 0, AtUpdate: 2, InnerSteps: 0, StepOffset: 6, FromStep: 1), toBsp);
        Assert.Equal(toBsp, Observer.FishForMessage<ModeChanged>(_ => true));
        // The worker that waited gets plan step 1's first micro-batch, numbered as the shards' version 7.
        var firstBsp = _worker.FishForMessage<WorkAssigned>(_ => true);
        Assert.Equal((0, 2, 7L), (firstBsp.Epoch, firstBsp.MicroBatch, firstBsp.Step));
        var secondBsp = Request(coordinator);
        Assert.Equal(7L, secondBsp.Step);
        Complete(coordinator, firstBsp);

        coordinator.Tell(new ChangeMode("asp", 0), TestActor);

        Assert.Equal(new ModeChangePending("asp", "at the boundary before step 2: 1 micro-batch(es) still to be committed"), ExpectMsg<ModeChangePending>());
        Complete(coordinator, secondBsp);
        ShardsConfirm(new SetConsistency("asp", 0, 0), version: 8);
        // Two ASP updates, then one BSP step.
        Assert.Equal(new ModeChanged("asp", 0, AtUpdate: 3, InnerSteps: 0, StepOffset: 0, FromStep: 2), ExpectMsg<ModeChanged>());
        var afterBsp = Request(coordinator);
        Assert.Equal((1, 0, 2L), (afterBsp.Epoch, afterBsp.MicroBatch, afterBsp.Step));
        Complete(coordinator, afterBsp);
        for (var n = 0; n < 7; n++) Complete(coordinator, Request(coordinator));

        var done = Finish();
        Assert.Equal((3L + 8L, "asp"), (done.Updates, done.FinalMode));
        Assert.Equal(12, done.MicroBatchesByWorker["w1"]);
    }

    [Fact]
    public void What_a_worker_lost_during_the_drain_held_goes_out_again_before_the_switch()
    {
        var coordinator = Coordinator();
        var lost = CreateTestProbe();
        lost.Send(coordinator, new RequestWork("w2", 1));
        var held = lost.ExpectMsg<WorkAssigned>();
        Complete(coordinator, Request(coordinator));
        coordinator.Tell(new ChangeMode("bsp", 0), TestActor);
        Assert.Equal("at the boundary before step 1: 1 micro-batch(es) still to be committed", ExpectMsg<ModeChangePending>().Reason);

        Watch(lost.Ref);
        Sys.Stop(lost.Ref);
        ExpectTerminated(lost.Ref);

        // The lost worker's micro-batch of step 0 goes to the other worker; only once it is committed does the switch go on.
        var again = Request(coordinator);
        Assert.Equal((held.Epoch, held.MicroBatch, held.Step), (again.Epoch, again.MicroBatch, again.Step));
        foreach (var shard in Shards)
        {
            Assert.Equal(new WorkerLeft("w2"), shard.ExpectMsg<WorkerLeft>());
            Assert.False(shard.HasMessages, "the shards were asked for their versions before the drain was over");
        }
        Complete(coordinator, again);
        for (var s = 0; s < Shards.Length; s++)
        {
            Shards[s].FishForMessage<ReportVersion>(_ => true);
            Shards[s].Reply(new ShardVersionReported(s, 2));
        }
        ShardsConfirm(new SetConsistency("bsp", 0, 0, StartVersion: 2), version: 2);
        Assert.Equal(new ModeChanged("bsp", 0, AtUpdate: 2, StepOffset: 1, FromStep: 1), ExpectMsg<ModeChanged>());
    }

    [Fact]
    public void After_a_switch_to_bsp_checkpoints_are_at_step_boundaries_counted_in_updates_and_shard_versions()
    {
        var coordinator = Coordinator(checkpointEvery: 4);
        Complete(coordinator, Request(coordinator));
        Complete(coordinator, Request(coordinator));
        Assert.Equal(new ModeChanged("bsp", 0, AtUpdate: 2, StepOffset: 7, FromStep: 1), SwitchToBsp(coordinator, version: 8));
        Complete(coordinator, Request(coordinator));
        Complete(coordinator, Request(coordinator));

        // Handing out plan step 2 asks for the checkpoint after it: update 2 + 2 steps = 4, shard version 8 + 2 = 10.
        Complete(coordinator, Request(coordinator));
        for (var s = 0; s < Shards.Length; s++)
        {
            Assert.Equal(new TakeCheckpoint(s, CheckpointId: 1, AtVersion: 10), Shards[s].FishForMessage<TakeCheckpoint>(_ => true));
            Shards[s].Reply(new CheckpointTaken(s, 1, Version: 10));
        }
        Complete(coordinator, Request(coordinator));
        Assert.Equal((1L, 4L), Observer.FishForMessage<CheckpointRecorded>(_ => true) is var r ? (r.Id, r.Updates) : default);
    }

    [Fact]
    public void Created_again_after_a_switch_to_bsp_it_tells_theShards_again_and_hands_out_bsp_steps_once_they_confirm()
    {
        var coordinator = Coordinator();
        Assert.Equal(3, SwitchToBsp(coordinator, version: 3).StepOffset);
        var first = Request(coordinator);
        Complete(coordinator, first);
        Stop(coordinator);

        coordinator = Coordinator();

        _worker.Send(coordinator, new RequestWork("w1", 1));
        ShardsConfirm(new SetConsistency("bsp", 0, 0, StartVersion: 3), version: 3);
        var second = _worker.FishForMessage<WorkAssigned>(_ => true);
        Assert.Equal((0, 1, 3L), (second.Epoch, second.MicroBatch, second.Step));
        Complete(coordinator, second);
        for (var n = 0; n < 10; n++) Complete(coordinator, Request(coordinator));
        var done = Finish();
        Assert.Equal((6L, "bsp"), (done.Updates, done.FinalMode)); // six BSP steps, counted as steps after the replay too
    }

    [Fact]
    public void A_version_query_or_mode_change_a_shard_never_answered_is_sent_again_until_it_does()
    {
        var coordinator = Coordinator();
        var within = TimeSpan.FromSeconds(30); // the coordinator asks again every 5 s
        coordinator.Tell(new ChangeMode("bsp", 0), TestActor);
        ExpectMsg<ModeChangePending>();

        // Shard 0's first query is lost (it was restarting); shard 1 answers at once.
        Shards[0].ExpectMsg<ReportVersion>();
        Shards[1].ExpectMsg<ReportVersion>();
        Shards[1].Reply(new ShardVersionReported(1, 4));
        Assert.Equal(new ReportVersion(0), Shards[0].ExpectMsg<ReportVersion>(within));
        Shards[0].Reply(new ShardVersionReported(0, 2));
        Assert.False(Shards[1].HasMessages, "a shard that answered was asked again");

        // Shard 1 loses the mode change; shard 0 confirms. Only shard 1 is told again.
        var set = new SetConsistency("bsp", 0, 0, StartVersion: 4);
        Assert.Equal(set, Shards[0].FishForMessage<SetConsistency>(_ => true));
        Shards[0].Reply(new ConsistencySet(0, 4, Durable: true));
        Assert.Equal(set, Shards[1].FishForMessage<SetConsistency>(_ => true));
        Assert.Equal(set, Shards[1].FishForMessage<SetConsistency>(_ => true, within));
        Shards[1].Reply(new ConsistencySet(1, 4, Durable: true));

        Assert.Equal(new ModeChanged("bsp", 0, AtUpdate: 0, StepOffset: 4, FromStep: 0), ExpectMsg<ModeChanged>());
        Assert.False(Shards[0].HasMessages, "a shard that confirmed was told again");
    }
}
