using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using Akka.Actor;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// Local SGD and DiLoCo pseudo-gradients at one <see cref="ParameterShard"/>, every message through the wire serializer:
/// applied as-is by the mode's outer step, deduplicated and acked like any push, on the same weights as plain gradients.
/// </summary>
public sealed class LocalShardSpecs : ShardSpec
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false);
    private static readonly OptimizerSpec AdamW = new(OptimizerKind.AdamW, 0.001, 0, 0.01, 0.9, 0.999, false);
    private static readonly LocalTrainingSpec Local = new(InnerSteps: 4, PlainSgd, LocalSgdOuterLearningRate: 0.5, AdamW,
        DiLoCoOuterLearningRate: 0.7, DiLoCoOuterMomentum: 0.9, DiLoCoPushesPerStep: 1);

    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 0.1f];
    private static readonly float[] Delta = [0.3f, -2.5f, 1e-3f, 4f];

    [Fact]
    public void A_local_SGD_pseudo_gradient_is_applied_as_is_at_the_outer_rate_not_divided_by_its_samples()
    {
        var shard = Shard(ConsistencyMode.LocalSgd);

        shard.Tell(Push(seq: 1, Delta, PushKind.LocalSgdPseudoGradient, baseVersion: 0));

        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        Assert.Equal(Initial.Select((w, i) => w - 0.5f * Delta[i]), Pull(shard));
    }

    [Fact]
    public void A_DiLoCo_pseudo_gradient_takes_a_Nesterov_step_and_its_resend_is_acked_but_not_applied_again()
    {
        var shard = Shard(ConsistencyMode.DiLoCo);
        var push = Push(seq: 1, Delta, PushKind.DiLoCoPseudoGradient, baseVersion: 0);

        shard.Tell(push);
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        shard.Tell(push);
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: true));

        // First Nesterov step: buf = Δ, w −= 0.7 · (Δ + 0.9 · Δ).
        var weights = Pull(shard);
        for (var i = 0; i < Initial.Length; i++) Assert.Equal(Initial[i] - 0.7f * 1.9f * Delta[i], weights[i], 1e-6f);
    }

    [Fact]
    public void Gradients_and_pseudo_gradients_step_the_same_weights_whatever_the_shard_s_mode_and_their_staleness_is_recorded()
    {
        var shard = Shard(ConsistencyMode.Asp);
        shard.Tell(Push(seq: 1, [2f, 2f, 2f, 2f], PushKind.Gradient, baseVersion: 0, samples: 4)); // w −= 1 · (2 / 4)
        ExpectMsg<GradientsApplied>();
        // A round that began before the live switch to ASP arrives after it: still its outer step, one update stale.
        shard.Tell(new SetConsistency("asp", 0));
        Assert.Equal(new ConsistencySet(ShardId, 1, Durable: true), ExpectMsg<ConsistencySet>());
        shard.Tell(Push(seq: 2, Delta, PushKind.LocalSgdPseudoGradient, baseVersion: 0));
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 2, Version: 2, Duplicate: false));

        Assert.Equal(Initial.Select((w, i) => w - 0.5f - 0.5f * Delta[i]), Pull(shard));
        shard.Tell(new ReportStatistics(ShardId));
        Assert.Equal([1L, 1L], ExpectMsg<ShardStatistics>().AppliedStaleness);
    }

    [Theory]
    [InlineData("no outer optimizers", "a DiLoCoPseudoGradient reached a shard set up without local SGD / DiLoCo optimizers")]
    [InlineData("BSP", "a DiLoCoPseudoGradient reached a shard in BSP mode")]
    [InlineData("unknown kind", "unknown push kind 9")]
    public void A_pseudo_gradient_a_shard_cannot_apply_is_rejected_for_good_and_changes_nothing(string shardCase, string reason)
    {
        var shard = shardCase switch
        {
            "no outer optimizers" => Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, 100,
                ConsistencyMode.Asp, PayloadEncoding.F32, NoSnapshots())),
            "BSP" => Shard(ConsistencyMode.Bsp),
            _ => Shard(ConsistencyMode.DiLoCo),
        };
        var kind = shardCase == "unknown kind" ? (PushKind)9 : PushKind.DiLoCoPseudoGradient;

        shard.Tell(Push(seq: 1, Delta, kind, baseVersion: 0));

        ExpectMsg(new PushRejected(ShardId, "w0", 1, 1, reason, Resend: false));
        Assert.Equal(Initial, Pull(shard));
    }

    private IActorRef Shard(ConsistencyMode mode) =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, 100, mode, PayloadEncoding.F32,
            NoSnapshots(), staleness: 0, Local));

    private static PushGradients Push(long seq, float[] values, PushKind kind, long baseVersion, int samples = 64) =>
        new(ShardId, "w0", 1, seq, 0, 0, 1, samples, baseVersion, TensorPayload.Encode(values, PayloadEncoding.F32), Clock: seq, Kind: kind);

    private float[] Pull(IActorRef shard)
    {
        shard.Tell(new PullShard(ShardId, MinVersion: 0));
        var weights = ExpectMsg<ShardWeights>().Weights;
        return PayloadCodec.Decode(weights.Bytes, weights.Encoding);
    }
}
