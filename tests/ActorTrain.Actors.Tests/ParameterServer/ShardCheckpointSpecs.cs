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
using Akka.Persistence;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A shard's part in checkpoints: the snapshot it writes for <see cref="TakeCheckpoint"/> holds exactly the version asked
/// for, under <c>&lt;its persistence id&gt;/checkpoints</c> with the checkpoint id as sequence number. Plain SGD with
/// learning rate 1: every step is w - meanGradient, computed here in float.
/// </summary>
public sealed class ShardCheckpointSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 0.1f];
    private static readonly float[][] Gradients = [[0.3f, -2.5f, 1e-3f, 4f], [-0.9f, 0.25f, 2.2f, -1f], [1f, 0.75f, -0.125f, 6f]];
    private readonly string _persistenceId = $"spec-{Guid.NewGuid():N}/shard-0";

    public ShardCheckpointSpecs()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
        IgnoreMessages<ShardStarted>();
    }

    private IActorRef Shard(ConsistencyMode mode) =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, 100, mode, PayloadEncoding.F32,
            new ShardDurability(_persistenceId, new SnapshotPolicy(0, TimeSpan.FromHours(1), 2))));

    /// <summary>BSP step <paramref name="step"/> of one micro-batch of one sample, or an ASP push.</summary>
    private static PushGradients Push(long step) =>
        new(ShardId, "w", 1, step + 1, step, 0, 1, Samples: 1, BaseVersion: step, TensorPayload.Encode(Gradients[step], PayloadEncoding.F32));

    private static float[] WeightsAfter(int steps)
    {
        var weights = (float[])Initial.Clone();
        for (var s = 0; s < steps; s++)
            for (var i = 0; i < weights.Length; i++) weights[i] -= Gradients[s][i];
        return weights;
    }

    private ShardSnapshot CheckpointSnapshot(long checkpointId)
    {
        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        store.Tell(new LoadSnapshot(ShardCheckpoints.PersistenceIdOf(_persistenceId), new SnapshotSelectionCriteria(checkpointId), checkpointId), TestActor);
        var loaded = ExpectMsg<LoadSnapshotResult>();
        Assert.Equal(checkpointId, loaded.Snapshot?.Metadata.SequenceNr);
        return Assert.IsType<ShardSnapshot>(loaded.Snapshot!.Snapshot);
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static int[] Bits(TensorPayload payload)
    {
        var values = new float[Initial.Length];
        payload.DecodeInto(values);
        return Bits(values);
    }

    [Fact]
    public void Bsp_snapshots_at_the_version_asked_for_before_applying_the_next_step()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        shard.Tell(new TakeCheckpoint(ShardId, CheckpointId: 4, AtVersion: 2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        for (var step = 0; step < 3; step++) shard.Tell(Push(step));

        ExpectMsg<GradientsApplied>(a => a.Version == 1);
        ExpectMsg<GradientsApplied>(a => a.Version == 2);
        ExpectMsg<GradientsApplied>(a => a.Version == 3);
        Assert.Equal(new CheckpointTaken(ShardId, 4, Version: 2), ExpectMsg<CheckpointTaken>());
        var snapshot = CheckpointSnapshot(4);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(Bits(WeightsAfter(2)), Bits(snapshot.Weights));
    }

    [Fact]
    public void A_checkpoint_at_the_current_version_or_at_any_version_is_taken_at_once()
    {
        var shard = Shard(ConsistencyMode.Asp);
        shard.Tell(Push(0));
        ExpectMsg<GradientsApplied>();

        shard.Tell(new TakeCheckpoint(ShardId, CheckpointId: 1, AtVersion: 1));
        Assert.Equal(new CheckpointTaken(ShardId, 1, Version: 1), ExpectMsg<CheckpointTaken>());
        shard.Tell(Push(1));
        ExpectMsg<GradientsApplied>();
        shard.Tell(new TakeCheckpoint(ShardId, CheckpointId: 2, TakeCheckpoint.AnyVersion));
        Assert.Equal(new CheckpointTaken(ShardId, 2, Version: 2), ExpectMsg<CheckpointTaken>());

        Assert.Equal(1, CheckpointSnapshot(1).Version);
        Assert.Equal(2, CheckpointSnapshot(2).Version);
    }

    [Fact]
    public void A_checkpoint_at_a_version_the_shard_has_passed_is_refused_with_the_reason()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        shard.Tell(Push(0));
        shard.Tell(Push(1));
        ExpectMsg<GradientsApplied>();
        ExpectMsg<GradientsApplied>();

        shard.Tell(new TakeCheckpoint(ShardId, CheckpointId: 3, AtVersion: 1));

        Assert.Equal(new CheckpointRefused(ShardId, 3, "shard 0 is at version 2, past the checkpoint's 1"), ExpectMsg<CheckpointRefused>());
    }

    [Fact]
    public void A_checkpoint_snapshot_leaves_the_shards_own_snapshots_and_the_workers_backup_alone()
    {
        var shard = Shard(ConsistencyMode.Asp);
        var worker = CreateTestProbe();
        worker.IgnoreMessages<ShardStarted>();
        worker.Send(shard, Push(0));
        worker.ExpectMsg<GradientsApplied>();

        shard.Tell(new TakeCheckpoint(ShardId, CheckpointId: 1, TakeCheckpoint.AnyVersion));
        ExpectMsg<CheckpointTaken>();

        // No ShardSnapshotted: the worker keeps its pushes until the shard's own snapshot covers them.
        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        store.Tell(new LoadSnapshot(_persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        Assert.Null(ExpectMsg<LoadSnapshotResult>().Snapshot);
    }
}
