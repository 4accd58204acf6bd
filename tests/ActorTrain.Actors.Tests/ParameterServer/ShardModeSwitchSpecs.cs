using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using Akka.Actor;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A shard switched live to and from BSP: it starts BSP at the coordinator's common version, confirms each switch once
/// a snapshot holds it, and a shard restarted after a switch comes back in the switched mode at its version.
/// </summary>
public sealed class ShardModeSwitchSpecs : ShardSpec
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f];
    private static readonly float[] Gradient = [0.25f, -0.5f, 1f];

    private IActorRef Shard(ConsistencyMode mode, string persistenceId) =>
        Sys.ActorOf(ShardSupervision.Props(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, 100, mode,
            PayloadEncoding.F32, NoSnapshots(persistenceId))));

    private static PushGradients Push(long seq, long step = 0, int index = 0, int microBatches = 1) =>
        new(ShardId, "w", 1, seq, step, index, microBatches, Samples: 1, BaseVersion: 0, TensorPayload.Encode(Gradient, PayloadEncoding.F32));

    private static long PulledVersion(TestProbe worker, IActorRef shard, long minVersion)
    {
        worker.Send(shard, new PullShard(ShardId, minVersion));
        return worker.ExpectMsg<ShardWeights>(TimeSpan.FromSeconds(10)).Version;
    }

    [Fact]
    public void Switched_to_bsp_it_moves_up_to_the_start_version_and_applies_steps_numbered_from_there()
    {
        var shard = Shard(ConsistencyMode.Asp, $"bsp-start-{Guid.NewGuid():N}");
        var worker = Probe();
        worker.Send(shard, Push(seq: 1));
        worker.ExpectMsg<GradientsApplied>(a => a.Version == 1);
        shard.Tell(new ReportVersion(ShardId));
        Assert.Equal(new ShardVersionReported(ShardId, 1), ExpectMsg<ShardVersionReported>());

        shard.Tell(new SetConsistency("bsp", 0, StartVersion: 5));

        Assert.Equal(new ConsistencySet(ShardId, 5, Durable: true), ExpectMsg<ConsistencySet>());
        Assert.Equal(5, PulledVersion(worker, shard, minVersion: 5)); // the jump applies nothing: the weights of version 1
        // Step 5 of two micro-batches is applied once both are in, and both are acked with version 6.
        worker.Send(shard, Push(seq: 2, step: 5, index: 1, microBatches: 2));
        worker.Send(shard, Push(seq: 3, step: 5, index: 0, microBatches: 2));
        Assert.Equal([(2L, 6L), (3L, 6L)], worker.ReceiveN(2).Cast<GradientsApplied>().Select(a => (a.Seq, a.Version)).Order());
        // A push numbered below the version is of a step already applied: a duplicate, not a new step.
        worker.Send(shard, Push(seq: 4, step: 4));
        Assert.True(worker.ExpectMsg<GradientsApplied>(a => a.Seq == 4).Duplicate);
    }

    [Fact]
    public async Task Restarted_after_a_switch_to_bsp_it_comes_back_in_bsp_at_the_start_version()
    {
        var shard = Shard(ConsistencyMode.Asp, $"restart-bsp-{Guid.NewGuid():N}");
        var worker = Probe();
        worker.Send(shard, Push(seq: 1));
        worker.ExpectMsg<GradientsApplied>(a => a.Version == 1);
        shard.Tell(new SetConsistency("bsp", 0, StartVersion: 4));
        ExpectMsg<ConsistencySet>();

        await Restart(shard);

        Assert.Equal(4, PulledVersion(worker, shard, minVersion: 0));
        // BSP: the step's first push is held until its second is in, then both are acked with the one new version.
        worker.Send(shard, Push(seq: 2, step: 4, index: 0, microBatches: 2));
        worker.Send(shard, Push(seq: 3, step: 4, index: 1, microBatches: 2));
        Assert.Equal([(2L, 5L), (3L, 5L)], worker.ReceiveN(2).Cast<GradientsApplied>().Select(a => (a.Seq, a.Version)).Order());
    }

    [Fact]
    public async Task Restarted_after_a_switch_from_bsp_it_comes_back_in_the_switched_mode_not_the_one_it_was_created_with()
    {
        var shard = Shard(ConsistencyMode.Bsp, $"restart-asp-{Guid.NewGuid():N}");
        var worker = Probe();
        shard.Tell(new SetConsistency("asp", 0));
        Assert.Equal(new ConsistencySet(ShardId, 0, Durable: true), ExpectMsg<ConsistencySet>());

        await Restart(shard);

        // ASP: each push is applied on arrival, whatever step it names (BSP would hold the first of a step of two).
        worker.Send(shard, Push(seq: 1, step: 0, index: 0, microBatches: 2));
        Assert.Equal(1, worker.ExpectMsg<GradientsApplied>(TimeSpan.FromSeconds(10)).Version);
        worker.Send(shard, Push(seq: 2, step: 0, index: 1, microBatches: 2));
        Assert.Equal(2, worker.ExpectMsg<GradientsApplied>().Version);
    }

    [Fact]
    public void A_mode_change_sent_again_changes_nothing_and_is_confirmed_again()
    {
        var shard = Shard(ConsistencyMode.Asp, $"bsp-again-{Guid.NewGuid():N}");
        var worker = Probe();
        worker.Send(shard, Push(seq: 1));
        worker.ExpectMsg<GradientsApplied>(a => a.Version == 1);

        shard.Tell(new SetConsistency("bsp", 0, StartVersion: 3));
        shard.Tell(new SetConsistency("bsp", 0, StartVersion: 3)); // the coordinator's resend: the first answer was late
        shard.Tell(new ReportVersion(ShardId));

        var answers = ReceiveN(3, TimeSpan.FromSeconds(10));
        Assert.Equal(2, answers.Count(a => Equals(a, new ConsistencySet(ShardId, 3, Durable: true))));
        Assert.Contains(new ShardVersionReported(ShardId, 3), answers);
        Assert.Equal(3, PulledVersion(worker, shard, minVersion: 3));
    }

    /// <summary>Kills the shard under its supervisor and waits for the new instance, which recovers from its newest snapshot.</summary>
    private async Task Restart(IActorRef supervisor)
    {
        var child = await Sys.ActorSelection(supervisor.Path / ShardSupervision.ChildName).ResolveOne(TimeSpan.FromSeconds(3));
        Watch(child);
        child.Tell(Kill.Instance);
        ExpectTerminated(child);
        await AwaitAssertAsync(async () =>
        {
            var current = await Sys.ActorSelection(supervisor.Path / ShardSupervision.ChildName).ResolveOne(TimeSpan.FromMilliseconds(500));
            Assert.NotEqual(child, current);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
    }
}
