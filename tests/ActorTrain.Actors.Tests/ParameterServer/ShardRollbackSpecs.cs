using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using Akka.Actor;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A shard's part in divergence handling: it refuses a non-finite gradient and never applies it, takes skip markers
/// without touching its weights, and in a rollback goes back to a checkpoint's snapshot (or its initial weights), refusing
/// the fenced incarnations' pushes from then on. Plain SGD with learning rate 1: every step is w - meanGradient.
/// </summary>
public sealed class ShardRollbackSpecs : ShardSpec
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 0.1f];
    private static readonly float[][] Gradients = [[0.3f, -2.5f, 1e-3f, 4f], [-0.9f, 0.25f, 2.2f, -1f], [1f, 0.75f, -0.125f, 6f]];
    private readonly string _persistenceId = $"spec-{Guid.NewGuid():N}/shard-0";

    private IActorRef Shard(ConsistencyMode mode) =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, 100, mode, PayloadEncoding.F32,
            new ShardDurability(_persistenceId, new SnapshotPolicy(0, TimeSpan.FromHours(1), 2))));

    private static PushGradients Push(long step, long incarnation = 1, long seq = 0, float[]? gradient = null) =>
        new(ShardId, "w", incarnation, seq > 0 ? seq : step + 1, step, 0, 1, Samples: 1, BaseVersion: step,
            TensorPayload.Encode(gradient ?? Gradients[step], PayloadEncoding.F32));

    private static float[] WeightsAfter(int steps)
    {
        var weights = (float[])Initial.Clone();
        for (var s = 0; s < steps; s++)
            for (var i = 0; i < weights.Length; i++) weights[i] -= Gradients[s][i];
        return weights;
    }

    private int[] Pulled(IActorRef shard, long version)
    {
        shard.Tell(new PullShard(ShardId, version, Exact: true));
        var weights = ExpectMsg<ShardWeights>();
        Assert.Equal(version, weights.Version);
        var values = new float[Initial.Length];
        weights.Weights.DecodeInto(values);
        return [.. values.Select(BitConverter.SingleToInt32Bits)];
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    [Fact]
    public void A_non_finite_gradient_is_refused_with_the_reason_and_never_applied()
    {
        var shard = Shard(ConsistencyMode.Asp);
        shard.Tell(Push(0, gradient: [0.1f, float.NaN, 0, 0]));

        var refused = ExpectMsg<PushRejected>();
        Assert.True(refused.NonFinite);
        Assert.False(refused.Resend);
        Assert.Contains("NaN or infinite", refused.Reason);
        Assert.Equal(Bits(Initial), Pulled(shard, 0));
        shard.Tell(new ReportStatistics(ShardId));
        Assert.Equal(1, ExpectMsg<ShardStatistics>().NonFiniteRefused);
    }

    [Fact]
    public void A_bsp_step_with_a_skip_marker_applies_the_others_mean_and_one_of_skip_markers_only_moves_the_version()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        var skip = new PushGradients(ShardId, "w", 1, 1, Step: 0, IndexInStep: 0, MicroBatchesInStep: 1, Samples: 0, BaseVersion: 0,
            new TensorPayload(PayloadEncoding.F32, 0, []), Skipped: true);
        shard.Tell(skip);
        Assert.Equal(1, ExpectMsg<GradientsApplied>().Version);
        Assert.Equal(Bits(Initial), Pulled(shard, 1));
    }

    [Fact]
    public void A_rollback_goes_back_to_the_checkpoint_and_refuses_the_fenced_incarnations_pushes()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        shard.Tell(new TakeCheckpoint(ShardId, CheckpointId: 5, AtVersion: 1));
        for (var step = 0; step < 3; step++) shard.Tell(Push(step));
        for (var step = 1; step <= 3; step++) ExpectMsg<GradientsApplied>(a => a.Version == step);
        ExpectMsg<CheckpointTaken>(t => t.CheckpointId == 5 && t.Version == 1);

        shard.Tell(new RestoreCheckpoint(ShardId, CheckpointId: 5, Rollback: 1, new Dictionary<string, long> { ["w"] = 1 }));

        Assert.Equal(new ShardRolledBack(ShardId, 1, 5, Version: 1, Durable: true), ExpectMsg<ShardRolledBack>());
        Assert.Equal(Bits(WeightsAfter(1)), Pulled(shard, 1));
        shard.Tell(Push(1, incarnation: 1, seq: 9));
        Assert.Contains("stale incarnation", ExpectMsg<PushRejected>().Reason);
        shard.Tell(Push(1, incarnation: 2, seq: 1));
        Assert.Equal(2, ExpectMsg<GradientsApplied>().Version);
        Assert.Equal(Bits(WeightsAfter(2)), Pulled(shard, 2));

        // A repeat of the same rollback changes nothing and is answered again.
        shard.Tell(new RestoreCheckpoint(ShardId, CheckpointId: 5, Rollback: 1, new Dictionary<string, long> { ["w"] = 1 }));
        Assert.Equal(2, ExpectMsg<ShardRolledBack>().Version);
    }

    [Fact]
    public void A_rollback_to_checkpoint_0_goes_back_to_the_initial_weights()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        shard.Tell(Push(0));
        ExpectMsg<GradientsApplied>();

        shard.Tell(new RestoreCheckpoint(ShardId, CheckpointId: 0, Rollback: 1, new Dictionary<string, long> { ["w"] = 1 }));

        Assert.Equal(0, ExpectMsg<ShardRolledBack>().Version);
        Assert.Equal(Bits(Initial), Pulled(shard, 0));
    }
}
