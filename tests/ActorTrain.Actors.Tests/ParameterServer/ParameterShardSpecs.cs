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
/// One <see cref="ParameterShard"/> driven message by message, every message through the wire serializer.
/// Plain SGD with learning rate 1 and no momentum makes a step w' = w - meanGradient, so every expected
/// weight is computed here in float and compared bit for bit.
/// </summary>
public sealed class ParameterShardSpecs : ShardSpec
{
    private const int ShardId = 0;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private const long TotalUpdates = 100;
    // A constant schedule keeps the learning rate at 1 for every update.
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);

    // Not multiples of each other, not exact in bf16, so division, order and encoding all show in the bits.
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 0.1f, 7.75f, -0.3f];
    private static readonly float[] GradientA = [0.3f, -2.5f, 1e-3f, 4f, -0.7f, 10f];
    private static readonly float[] GradientB = [-0.9f, 0.25f, 2.2f, -1f, 0.05f, 3f];

    [Fact]
    public void A_pull_at_version_0_returns_the_initial_weights()
    {
        var shard = Shard(ConsistencyMode.Asp);

        var (version, weights) = Pull(shard, minVersion: 0);

        Assert.Equal(0, version);
        AssertBitwise(Initial, weights);
    }

    [Fact]
    public void Asp_applies_a_push_on_arrival_and_acks_with_version_1()
    {
        var shard = Shard(ConsistencyMode.Asp);

        shard.Tell(Push("w0", incarnation: 1, seq: 1, GradientA, samples: 3));

        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        var (version, weights) = Pull(shard, minVersion: 0);
        Assert.Equal(1, version);
        AssertBitwise(Step(Initial, GradientA, samples: 3), weights);
    }

    [Fact]
    public void Asp_acks_a_resent_push_as_a_duplicate_and_does_not_apply_it_again()
    {
        var shard = Shard(ConsistencyMode.Asp);
        var push = Push("w0", incarnation: 1, seq: 1, GradientA, samples: 3);
        shard.Tell(push);
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));

        shard.Tell(push);

        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: true));
        var (version, weights) = Pull(shard, minVersion: 0);
        Assert.Equal(1, version);
        AssertBitwise(Step(Initial, GradientA, samples: 3), weights);
    }

    [Fact]
    public void A_push_from_an_older_incarnation_is_rejected_without_resend_and_not_applied()
    {
        var shard = Shard(ConsistencyMode.Asp);
        shard.Tell(Push("w0", incarnation: 2, seq: 1, GradientA, samples: 1));
        ExpectMsg(new GradientsApplied(ShardId, "w0", 2, 1, Version: 1, Duplicate: false));

        shard.Tell(Push("w0", incarnation: 1, seq: 2, GradientB, samples: 1));

        ExpectMsg(new PushRejected(ShardId, "w0", 1, 2, "the worker has restarted since (stale incarnation)", Resend: false));
        var (version, weights) = Pull(shard, minVersion: 0);
        Assert.Equal(1, version);
        AssertBitwise(Step(Initial, GradientA, samples: 1), weights);
    }

    public static TheoryData<string, string> DamagedPayloads => new()
    {
        { "corrupted byte", "payload checksum mismatch" },
        { "one element too many", "payload holds 7 elements, expected 6" },
        { "bytes for one element too few", "payload has 20 bytes, 6 F32 elements need 24" },
    };

    [Theory]
    [MemberData(nameof(DamagedPayloads))]
    public void A_damaged_payload_is_rejected_for_resend_never_applied_and_its_resend_is_applied(string damage, string reason)
    {
        var shard = Shard(ConsistencyMode.Asp);
        var intact = Push("w0", incarnation: 1, seq: 1, GradientA, samples: 2);

        shard.Tell(intact with { Gradient = Damage(intact.Gradient, damage) });

        var rejected = ExpectMsg<PushRejected>();
        Assert.Equal(new PushRejected(ShardId, "w0", 1, 1, rejected.Reason, Resend: true), rejected);
        Assert.StartsWith(reason, rejected.Reason);
        var (version, weights) = Pull(shard, minVersion: 0);
        Assert.Equal(0, version);
        AssertBitwise(Initial, weights);

        // The rejected push left no trace in the dedup table: its intact resend is fresh.
        shard.Tell(intact);
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        AssertBitwise(Step(Initial, GradientA, samples: 2), Pull(shard, minVersion: 0).Weights);
    }

    [Fact]
    public void Bsp_applies_a_step_once_when_its_last_micro_batch_arrives_summing_in_index_order_not_arrival_order()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        // Element 0 cancels exactly in index order ((1e8 + -1e8) + 1 = 1) but not in arrival order
        // ((1 + -1e8) + 1e8 = 0): the result shows which order the shard summed in.
        float[] g0 = [1e8f, .. GradientA[1..]];
        float[] g1 = [-1e8f, .. GradientB[1..]];
        float[] g2 = [1f, 0.75f, -0.125f, 6f, 2.5f, -4f];
        var expected = Initial.Zip(SumInOrder(g0, g1, g2, samples: 1 + 2 + 1), (w, g) => w - g).ToArray();
        Assert.NotEqual(Bits(expected), Bits(Initial.Zip(SumInOrder(g2, g1, g0, samples: 4), (w, g) => w - g).ToArray()));
        var (a, b, c) = (Probe(), Probe(), Probe());

        a.Send(shard, Push("wa", 1, 1, g2, samples: 1, step: 0, index: 2, microBatches: 3));
        b.Send(shard, Push("wb", 1, 1, g1, samples: 2, step: 0, index: 1, microBatches: 3));

        // The shard has handled both pushes before this pull: nothing is applied, nothing is acked.
        var (before, beforeWeights) = Pull(shard, minVersion: 0);
        Assert.Equal(0, before);
        AssertBitwise(Initial, beforeWeights);
        a.ExpectNoMsg(Quiet);
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        c.Send(shard, Push("wc", 1, 1, g0, samples: 1, step: 0, index: 0, microBatches: 3));

        a.ExpectMsg(new GradientsApplied(ShardId, "wa", 1, 1, Version: 1, Duplicate: false));
        b.ExpectMsg(new GradientsApplied(ShardId, "wb", 1, 1, Version: 1, Duplicate: false));
        c.ExpectMsg(new GradientsApplied(ShardId, "wc", 1, 1, Version: 1, Duplicate: false));
        var (version, weights) = Pull(shard, minVersion: 0);
        Assert.Equal(1, version);
        AssertBitwise(expected, weights);
    }

    [Fact]
    public void Bsp_acks_a_resend_after_its_step_was_applied_as_a_duplicate_without_applying_it_again()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        var first = Push("w0", 1, 1, GradientA, samples: 2, step: 0, index: 0, microBatches: 2);
        shard.Tell(first);
        shard.Tell(Push("w0", 1, 2, GradientB, samples: 2, step: 0, index: 1, microBatches: 2));
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 2, Version: 1, Duplicate: false));

        shard.Tell(first);

        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: true));
        var (version, weights) = Pull(shard, minVersion: 0);
        Assert.Equal(1, version);
        AssertBitwise(Initial.Zip(SumInOrder(GradientA, GradientB, samples: 4), (w, g) => w - g).ToArray(), weights);
    }

    [Fact]
    public void A_pull_for_version_1_waits_until_the_step_is_applied_then_gets_the_new_weights()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        var puller = Probe();
        puller.Send(shard, new PullShard(ShardId, MinVersion: 1));
        shard.Tell(Push("w0", 1, 1, GradientA, samples: 1, step: 0, index: 1, microBatches: 2));

        puller.ExpectNoMsg(Quiet);

        shard.Tell(Push("w1", 1, 1, GradientB, samples: 1, step: 0, index: 0, microBatches: 2));

        var reply = puller.ExpectMsg<ShardWeights>();
        Assert.Equal((ShardId, 1L, PayloadEncoding.F32), (reply.ShardId, reply.Version, reply.Weights.Encoding));
        AssertBitwise(Initial.Zip(SumInOrder(GradientB, GradientA, samples: 2), (w, g) => w - g).ToArray(), Decode(reply.Weights));
    }

    [Fact]
    public void A_pull_at_step_0_after_step_0_was_applied_gets_the_weights_of_version_0_and_a_plain_pull_the_newest()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        var puller = Probe();
        shard.Tell(Push("w0", 1, 1, GradientA, samples: 1, step: 0, index: 0, microBatches: 1));
        shard.Tell(Push("w0", 1, 2, GradientB, samples: 1, step: 1, index: 0, microBatches: 1));
        puller.Send(shard, new PullShard(ShardId, MinVersion: 2));
        Assert.Equal(2, puller.ExpectMsg<ShardWeights>().Version);

        // A micro-batch of step 1 computed again (its first holder lost): it gets step 1's weights, not version 2's.
        puller.Send(shard, new PullShard(ShardId, MinVersion: 1, AtStep: true));
        var atStep = puller.ExpectMsg<ShardWeights>();
        Assert.Equal(1, atStep.Version);
        AssertBitwise(Initial.Zip(GradientA, (w, g) => w - g).ToArray(), Decode(atStep.Weights));

        // Two steps back is more than the shard keeps: the newest, and the worker computes on them with a warning.
        puller.Send(shard, new PullShard(ShardId, MinVersion: 0, AtStep: true));
        Assert.Equal(2, puller.ExpectMsg<ShardWeights>().Version);
        puller.Send(shard, new PullShard(ShardId, MinVersion: 1));
        Assert.Equal(2, puller.ExpectMsg<ShardWeights>().Version);
    }

    [Fact]
    public void Bsp_holds_a_push_computed_off_its_step_until_the_first_computation_s_push_fills_the_slot_and_acks_it_as_superseded()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        var repeat = Probe();
        var first = Probe();
        // Micro-batch 0 of step 0 computed again on weights past the step (its assignment was lost): a different gradient.
        repeat.Send(shard, Push("w9", 1, 1, GradientB, samples: 1, step: 0, index: 0, microBatches: 2) with { OffStep = true });
        first.Send(shard, Push("w0", 1, 1, GradientA, samples: 1, step: 0, index: 0, microBatches: 2));
        first.Send(shard, Push("w1", 1, 1, GradientB, samples: 1, step: 0, index: 1, microBatches: 2));

        Assert.False(first.ExpectMsg<GradientsApplied>().Duplicate);
        Assert.False(first.ExpectMsg<GradientsApplied>().Duplicate);
        var superseded = repeat.ExpectMsg<GradientsApplied>();
        Assert.Equal(("w9", 1L, true), (superseded.WorkerId, superseded.Version, superseded.Duplicate));
        var (version, weights) = Pull(shard, minVersion: 1);
        Assert.Equal(1, version);
        AssertBitwise(Initial.Zip(SumInOrder(GradientA, GradientB, samples: 2), (w, g) => w - g).ToArray(), weights);
    }

    [Fact]
    public void Bsp_fills_a_slot_with_a_push_computed_off_its_step_when_no_other_copy_comes_in_time()
    {
        var shard = Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, TotalUpdates,
            ConsistencyMode.Bsp, PayloadEncoding.F32, NoSnapshots(), offStepWait: TimeSpan.FromMilliseconds(300)));
        var repeat = Probe();
        repeat.Send(shard, Push("w9", 1, 1, GradientA, samples: 1, step: 0, index: 0, microBatches: 2) with { OffStep = true });
        Probe().Send(shard, Push("w1", 1, 1, GradientB, samples: 1, step: 0, index: 1, microBatches: 2));

        // Held at first; after the wait (the shard's 1 s tick) it fills the empty slot, and the step is applied.
        repeat.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.False(repeat.ExpectMsg<GradientsApplied>(TimeSpan.FromSeconds(5)).Duplicate);
        var (version, weights) = Pull(shard, minVersion: 1);
        Assert.Equal(1, version);
        AssertBitwise(Initial.Zip(SumInOrder(GradientA, GradientB, samples: 2), (w, g) => w - g).ToArray(), weights);
    }

    [Fact]
    public void An_exact_pull_from_a_bf16_shard_returns_f32_weights_and_a_plain_pull_returns_bf16()
    {
        var shard = Shard(ConsistencyMode.Asp, PayloadEncoding.Bf16);

        shard.Tell(new PullShard(ShardId, MinVersion: 0, Exact: true));
        var exact = ExpectMsg<ShardWeights>();
        shard.Tell(new PullShard(ShardId, MinVersion: 0));
        var plain = ExpectMsg<ShardWeights>();

        Assert.Equal(PayloadEncoding.F32, exact.Weights.Encoding);
        Assert.Null(exact.Weights.Problem(Initial.Length));
        AssertBitwise(Initial, Decode(exact.Weights));
        Assert.Equal(PayloadEncoding.Bf16, plain.Weights.Encoding);
        Assert.Null(plain.Weights.Problem(Initial.Length));
        AssertBitwise(PayloadCodec.Decode(PayloadCodec.Encode(Initial, PayloadEncoding.Bf16), PayloadEncoding.Bf16), Decode(plain.Weights));
    }

    public static TheoryData<string, ConsistencyMode> MalformedHeaders => new()
    {
        { "unknown encoding", ConsistencyMode.Asp },
        { "sequence number 0", ConsistencyMode.Asp },
        { "zero samples", ConsistencyMode.Asp },
        { "index beyond the step", ConsistencyMode.Bsp },
    };

    /// <summary>
    /// CONVENTIONS.md: bad input is answered with a rejection, nothing is lost because of it. A shard that
    /// throws instead is restarted by its supervisor from its Props, back to the initial weights at version 0.
    /// </summary>
    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void A_push_with_a_malformed_header_is_rejected_and_the_shard_keeps_its_weights_and_version(string malformation, ConsistencyMode mode)
    {
        var shard = Shard(mode);
        shard.Tell(Push("w0", 1, 1, GradientA, samples: 1, step: 0, index: 0, microBatches: 1));
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        var applied = Step(Initial, GradientA, samples: 1);
        var good = Push("w0", 1, 2, GradientB, samples: 1, step: 1, index: 0, microBatches: 1);

        var malformed = malformation switch
        {
            "unknown encoding" => good with { Gradient = good.Gradient with { Encoding = (PayloadEncoding)7 } },
            "sequence number 0" => good with { Seq = 0 },
            "zero samples" => good with { Samples = 0 },
            "index beyond the step" => good with { IndexInStep = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(malformation), malformation, "no such case"),
        };

        shard.Tell(malformed);
        shard.Tell(new PullShard(ShardId, MinVersion: 0));

        // A shard that threw was restarted: the pull is then its first answer, at version 0.
        var answer = ExpectMsg<object>();
        var rejected = answer as PushRejected;
        Assert.True(rejected != null, answer switch
        {
            ShardWeights { Version: 0 } => "no rejection: the shard threw, was restarted and lost its weights and version (the pull found version 0)",
            _ => $"expected a rejection, got {answer}",
        });
        // The reason's wording and whether a resend helps are the fix's to choose; which push it answers is not.
        Assert.Equal((ShardId, "w0", 1L, malformed.Seq), (rejected.ShardId, rejected.WorkerId, rejected.Incarnation, rejected.Seq));
        Assert.NotEmpty(rejected.Reason);
        var weights = ExpectMsg<ShardWeights>();
        Assert.Equal(1, weights.Version);
        AssertBitwise(applied, Decode(weights.Weights));
    }

    private IActorRef Shard(ConsistencyMode mode, PayloadEncoding encoding = PayloadEncoding.F32) =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, TotalUpdates, mode, encoding,
            NoSnapshots()));

    private static PushGradients Push(string worker, long incarnation, long seq, float[] gradient, int samples,
        long step = 0, int index = 0, int microBatches = 1) =>
        new(ShardId, worker, incarnation, seq, step, index, microBatches, samples, BaseVersion: step,
            TensorPayload.Encode(gradient, PayloadEncoding.F32));

    private (long Version, float[] Weights) Pull(IActorRef shard, long minVersion)
    {
        shard.Tell(new PullShard(ShardId, minVersion));
        var reply = ExpectMsg<ShardWeights>();
        Assert.Equal(ShardId, reply.ShardId);
        Assert.Null(reply.Weights.Problem(Initial.Length));
        return (reply.Version, Decode(reply.Weights));
    }

    private static float[] Decode(TensorPayload payload) => PayloadCodec.Decode(payload.Bytes, payload.Encoding);

    private static TensorPayload Damage(TensorPayload payload, string damage)
    {
        switch (damage)
        {
            case "corrupted byte":
                // Damaged in transit: the serializer's checksum no longer matches the bytes.
                var flipped = (byte[])payload.Bytes.Clone();
                flipped[5] ^= 0x10;
                return payload with { Bytes = flipped, Damage = "payload checksum mismatch (injected)" };
            case "one element too many":
                return TensorPayload.Encode([.. GradientA, 1f], PayloadEncoding.F32);
            case "bytes for one element too few":
                var shorter = payload.Bytes[..^4];
                return payload with { Bytes = shorter };
            default:
                throw new ArgumentOutOfRangeException(nameof(damage), damage, "no such damage");
        }
    }

    /// <summary>One ASP step: w - g / samples, in float, as the shard computes it.</summary>
    private static float[] Step(float[] weights, float[] gradientSum, int samples) =>
        [.. weights.Zip(gradientSum, (w, g) => w - g / samples)];

    /// <summary>BSP's mean gradient: the sum in the order given, then one division by the step's samples.</summary>
    private static float[] SumInOrder(float[] first, float[] second, int samples) => SumInOrder(first, second, null, samples);

    private static float[] SumInOrder(float[] first, float[] second, float[]? third, int samples)
    {
        var sum = new float[first.Length];
        for (var i = 0; i < sum.Length; i++)
        {
            var s = first[i] + second[i];
            if (third != null) s += third[i];
            sum[i] = s / samples;
        }
        return sum;
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static void AssertBitwise(float[] expected, float[] actual) => Assert.Equal(Bits(expected), Bits(actual));
}
