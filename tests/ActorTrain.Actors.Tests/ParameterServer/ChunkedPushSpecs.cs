using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Wire;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Core.Wire;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A <see cref="ParameterShard"/> whose pushes and weights are larger than actortrain.wire.chunk-size (1 KiB here), so
/// both travel as <see cref="PayloadChunk"/>s; every message goes through the wire serializer. Plain SGD with learning
/// rate 1 makes a step w' = w - gradient/samples, so the expected weights are computed here bit for bit.
/// </summary>
public sealed class ChunkedPushSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const int ShardId = 0;
    private const int Length = 2000; // 8000 bytes of f32: 8 chunks and some
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);
    private static readonly float[] Initial = [.. Enumerable.Range(0, Length).Select(i => MathF.Sin(i) * 3f)];
    private static readonly float[] Gradient = [.. Enumerable.Range(0, Length).Select(i => MathF.Cos(i * 0.7f) - 0.1f)];

    public ChunkedPushSpecs()
        : base(ConfigurationFactory.ParseString("""
            akka.actor.serialize-messages = on
            actortrain.wire.chunk-size = 1KiB
            """).WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
        IgnoreMessages<ShardStarted>(); // the upstream-backup greeting; ShardDurabilitySpecs cover it
    }

    private IActorRef Shard() =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Length), [.. Initial], PlainSgd, 100, ConsistencyMode.Asp, PayloadEncoding.F32, ShardSpec.NoSnapshots()));

    private static PushGradients Push(long seq) =>
        new(ShardId, "w0", 1, seq, Step: 0, IndexInStep: 0, MicroBatchesInStep: 1, Samples: 4, BaseVersion: 0, TensorPayload.Encode(Gradient, PayloadEncoding.F32));

    private static List<PayloadChunk> Chunks(PushGradients push) =>
        [.. ChunkingSender.Cut(push, new ChunkKey(push.WorkerId, push.Incarnation, push.ShardId, push.Seq), 1024)];

    /// <summary>A chunk as it arrives after a bit flipped on the way: through the real serializer, one bit changed.</summary>
    private PayloadChunk DamagedInTransit(PayloadChunk chunk)
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(chunk);
        var bytes = serializer.ToBinary(chunk);
        bytes[^100] ^= 0x01;
        return (PayloadChunk)serializer.FromBinary(bytes, serializer.Manifest(chunk));
    }

    /// <summary>Pulls, and reassembles the reply, which is itself too large for one chunk.</summary>
    private (long Version, float[] Weights) Pull(IActorRef shard)
    {
        shard.Tell(new PullShard(ShardId, MinVersion: 0));
        var receiver = new ChunkReceiver(WireSettings.Of(Sys), Sys.Log, "test");
        ShardWeights? weights = null;
        while (weights is null) weights = receiver.Accept(ExpectMsg<PayloadChunk>()).Message as ShardWeights;
        Assert.Null(weights.Weights.Problem(Length));
        return (weights.Version, PayloadCodec.Decode(weights.Weights.Bytes, weights.Weights.Encoding));
    }

    /// <summary>The shard is at version 1 with the weights of exactly one step on the push's gradient, bit for bit.</summary>
    private void AssertSteppedOnce(IActorRef shard)
    {
        var (version, weights) = Pull(shard);
        Assert.Equal(1, version);
        var stepped = Initial.Zip(Gradient, (w, g) => w - g / 4);
        Assert.Equal(stepped.Select(BitConverter.SingleToInt32Bits), weights.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_push_in_chunks_out_of_order_with_one_duplicated_is_applied_once()
    {
        var shard = Shard();
        var chunks = Chunks(Push(seq: 1));
        Assert.True(chunks.Count > 2, $"the push should need several chunks, it has {chunks.Count}");
        var shuffled = chunks.Select((c, i) => (c, Order: (i * 5) % chunks.Count)).OrderBy(p => p.Order).Select(p => p.c).ToList();
        shuffled.Insert(1, shuffled[^1]);

        foreach (var chunk in shuffled) shard.Tell(chunk);

        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        AssertSteppedOnce(shard);
    }

    [Fact]
    public void A_chunk_damaged_in_transit_gets_the_push_rejected_with_the_reason_and_the_resend_is_applied_once()
    {
        var shard = Shard();
        var chunks = Chunks(Push(seq: 1));

        foreach (var chunk in chunks.Select((c, i) => i == 3 ? DamagedInTransit(c) : c)) shard.Tell(chunk);

        var rejected = ExpectMsg<PushRejected>();
        Assert.Equal((ShardId, "w0", 1L, 1L, true), (rejected.ShardId, rejected.WorkerId, rejected.Incarnation, rejected.Seq, rejected.Resend));
        Assert.Contains($"chunk 3 of {chunks.Count} of a PushGradients (w0#1 shard 0 seq 1): chunk checksum mismatch", rejected.Reason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, Pull(shard).Version);

        foreach (var chunk in chunks) shard.Tell(chunk); // the worker's resend
        foreach (var chunk in chunks) shard.Tell(chunk); // and a second one, crossing the ack

        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: false));
        ExpectMsg(new GradientsApplied(ShardId, "w0", 1, 1, Version: 1, Duplicate: true));
        AssertSteppedOnce(shard);
    }

    [Fact]
    public void A_push_small_enough_for_one_chunk_still_goes_whole_and_small_weights_come_back_whole()
    {
        var shard = Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, 8), [.. Initial[..8]], PlainSgd, 100, ConsistencyMode.Asp,
            PayloadEncoding.F32, ShardSpec.NoSnapshots()));

        shard.Tell(Push(1) with { Gradient = TensorPayload.Encode(Gradient[..8], PayloadEncoding.F32) });
        ExpectMsg<GradientsApplied>();
        shard.Tell(new PullShard(ShardId, MinVersion: 0));

        Assert.Equal(1, ExpectMsg<ShardWeights>().Version);
    }
}
