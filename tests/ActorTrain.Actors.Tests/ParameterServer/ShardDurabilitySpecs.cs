using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A shard under its backoff supervisor, snapshotting to the in-memory store, is killed mid-run; what its worker
/// (this spec, through a probe) replays from the upstream backup brings it back to bitwise the weights of a shard
/// that never died. Momentum SGD, so the optimizer state has to come back too.
/// </summary>
public sealed class ShardDurabilitySpecs : Akka.TestKit.Xunit2.TestKit
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec Momentum = new(OptimizerKind.Sgd, 0.1, 0.9, 0, 0.9, 0.999, Nesterov: true);
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 0.1f];
    private static readonly float[][] Gradients =
        [[0.3f, -2.5f, 1e-3f, 4f], [-0.9f, 0.25f, 2.2f, -1f], [1f, 0.75f, -0.125f, 6f], [0.05f, 3f, -7f, 0.5f], [2f, -1f, 0.5f, 0.25f]];

    public ShardDurabilitySpecs()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
    }

    private IActorRef Shard(string persistenceId, ConsistencyMode mode, long snapshotEvery) =>
        Sys.ActorOf(ShardSupervision.Props(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], Momentum, 100, mode,
            PayloadEncoding.F32, new ShardDurability(persistenceId, new SnapshotPolicy(snapshotEvery, TimeSpan.Zero, Keep: 2)))));

    private static PushGradients Push(long seq, ConsistencyMode mode) =>
        new(ShardId, "w", 1, seq, Step: mode == ConsistencyMode.Bsp ? seq - 1 : 0, 0, 1, Samples: 2, BaseVersion: 0,
            TensorPayload.Encode(Gradients[seq - 1], PayloadEncoding.F32));

    private float[] Weights(IActorRef shard, TestProbe probe, long version)
    {
        probe.Send(shard, new PullShard(ShardId, version));
        var reply = probe.ExpectMsg<ShardWeights>();
        Assert.Equal(version, reply.Version);
        return PayloadCodec.Decode(reply.Weights.Bytes, reply.Weights.Encoding);
    }

    /// <summary>The weights of a shard that takes all five pushes and never dies.</summary>
    private float[] Uninterrupted(ConsistencyMode mode)
    {
        var shard = Shard($"straight-{mode}", mode, snapshotEvery: 0);
        var probe = CreateTestProbe();
        probe.IgnoreMessages<ShardStarted>();
        for (var seq = 1; seq <= Gradients.Length; seq++)
        {
            probe.Send(shard, Push(seq, mode));
            probe.ExpectMsg<GradientsApplied>(a => a.Seq == seq && !a.Duplicate);
        }
        return Weights(shard, probe, Gradients.Length);
    }

    [Theory]
    [InlineData(ConsistencyMode.Asp)]
    [InlineData(ConsistencyMode.Bsp)]
    public async Task A_killed_shard_recovers_from_its_snapshot_and_the_replay_restores_bitwise_the_uninterrupted_weights(ConsistencyMode mode)
    {
        var expected = Uninterrupted(mode);
        var shard = Shard($"killed-{mode}", mode, snapshotEvery: 2);
        var worker = CreateTestProbe();
        worker.Send(shard, new PullShard(ShardId, 0, WorkerId: "w", Clock: 0, PullId: 1));
        Assert.Equal(new ShardStarted(ShardId, 0), worker.ExpectMsg<ShardStarted>());
        worker.ExpectMsg<ShardWeights>();

        // Three pushes: the snapshot after two holds seqs 1..2; seq 3 is applied and acked but only in memory. The worker
        // may drop only what the shard's fallback covers (the snapshot it loads should its newest be damaged): for the
        // first snapshot that is the initial weights, so nothing leaves the backup yet.
        var backup = new UpstreamBackup<PushGradients>(1, long.MaxValue);
        for (var seq = 1; seq <= 3; seq++)
        {
            backup.Retain(0, seq, Push(seq, mode), 16);
            worker.Send(shard, Push(seq, mode));
            if (seq == 2)
            {
                // A snapshot and its ack may come in either order.
                var first = worker.ExpectMsg<object>(m => m is GradientsApplied or ShardSnapshotted);
                var second = worker.ExpectMsg<object>(m => m is GradientsApplied or ShardSnapshotted);
                var covered = new[] { first, second }.OfType<ShardSnapshotted>().Single();
                Assert.Equal(new DedupRow("w", 1, 0, []), covered.Covered with { AppliedAboveWatermark = [.. covered.Covered.AppliedAboveWatermark] });
                backup.Release(0, covered.Covered.Watermark, covered.Covered.AppliedAboveWatermark);
            }
            else worker.ExpectMsg<GradientsApplied>(a => a.Seq == seq && !a.Duplicate);
        }

        var child = await Sys.ActorSelection(shard.Path / ShardSupervision.ChildName).ResolveOne(TimeSpan.FromSeconds(3));
        Watch(child);
        child.Tell(Kill.Instance);
        ExpectTerminated(child);

        // The new instance greets the worker with the version it recovered (2); the worker replays its backup (seqs 1..3).
        await Restarted(shard, child);
        worker.IgnoreMessages<ShardSnapshotted>(); // the new instance's snapshots: not what this test follows from here
        worker.Send(shard, new PullShard(ShardId, 0, WorkerId: "w", Clock: 3, PullId: 2));
        Assert.Equal(new ShardStarted(ShardId, 2), worker.ExpectMsg<ShardStarted>(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, worker.ExpectMsg<ShardWeights>().Version);
        Assert.Equal([1L, 2L, 3L], backup.ToReplay(0).Select(p => p.Seq));
        foreach (var push in backup.ToReplay(0)) worker.Send(shard, push);
        // What the snapshot holds is acked as a duplicate and not applied again; seq 3 is applied anew.
        worker.ExpectMsg<GradientsApplied>(a => a.Seq == 1 && a.Duplicate);
        worker.ExpectMsg<GradientsApplied>(a => a.Seq == 2 && a.Duplicate);
        worker.ExpectMsg<GradientsApplied>(a => a.Seq == 3 && !a.Duplicate && a.Version == 3);
        for (var seq = 4; seq <= Gradients.Length; seq++)
        {
            worker.Send(shard, Push(seq, mode));
            worker.FishForMessage<GradientsApplied>(a => a.Seq == seq);
        }

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), Weights(shard, worker, Gradients.Length).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public async Task A_replayed_push_the_snapshot_already_holds_is_acked_as_a_duplicate_and_not_applied_again()
    {
        var shard = Shard("dup", ConsistencyMode.Asp, snapshotEvery: 1);
        var worker = CreateTestProbe();
        worker.IgnoreMessages(m => m is ShardStarted or ShardSnapshotted);
        worker.Send(shard, Push(1, ConsistencyMode.Asp));
        worker.ExpectMsg<GradientsApplied>(a => a.Seq == 1 && !a.Duplicate);

        var child = await Sys.ActorSelection(shard.Path / ShardSupervision.ChildName).ResolveOne(TimeSpan.FromSeconds(3));
        Watch(child);
        child.Tell(Kill.Instance);
        ExpectTerminated(child);

        await Restarted(shard, child);
        worker.Send(shard, Push(1, ConsistencyMode.Asp));
        worker.ExpectMsg<GradientsApplied>(a => a.Seq == 1 && a.Duplicate && a.Version == 1, TimeSpan.FromSeconds(10));
    }

    /// <summary>Waits until the supervisor has started a new shard instance in place of <paramref name="killed"/>.</summary>
    private async Task Restarted(IActorRef supervisor, IActorRef killed) =>
        await AwaitAssertAsync(async () =>
        {
            var current = await Sys.ActorSelection(supervisor.Path / ShardSupervision.ChildName).ResolveOne(TimeSpan.FromMilliseconds(500));
            Assert.NotEqual(killed, current);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
}
