using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Wire;
using ActorTrain.Actors.Worker;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Wire;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Worker;

/// <summary>
/// A <see cref="TrainingWorker"/> whose shards (test probes) answer its pulls with weights larger than
/// actortrain.wire.chunk-size (1 KiB here), so they arrive as chunks; every message goes through the wire serializer.
/// </summary>
public sealed class ChunkedWeightsSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const long Version = 3;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private readonly JobData _data;
    private readonly TestProbe _coordinator;
    private readonly TestProbe[] _shards;
    private readonly IActorRef _worker;

    public ChunkedWeightsSpecs() : base(Job)
    {
        TorchRuntime.EnsureReady();
        var settings = ActorTrainSettings.Create(Job);
        _data = JobData.Load(settings);
        _coordinator = CreateTestProbe();
        _shards = [CreateTestProbe(), CreateTestProbe()];
        _worker = Sys.ActorOf(TrainingWorker.Props(new WorkerSetup("worker-1", 1, _coordinator, [.. _shards.Select(s => s.Ref)], _data.Shards,
            _data.Model, _data.Splits.Train, ConsistencyMode.Asp, PayloadEncoding.F32, settings.LocalTraining, JobHead.PlanOf(settings, _data))));
    }

    private static Akka.Configuration.Config Job => JobConfig.FromText("""
        akka.actor.serialize-messages = on
        actortrain {
          job { seed = 5, workers = 1, shards = 2 }
          model { kind = mlp, hidden = [64] }
          data { task = synthetic, validation-size = 64, synthetic { train-size = 256, test-size = 64, features = 16, classes = 4 } }
          wire { chunk-size = 1KiB }
          torch { threads = 1 }
        }
        """);

    /// <summary>Each shard's answer to a pull: its initial weights at <see cref="Version"/>, cut into chunks.</summary>
    private List<PayloadChunk> Answer(int shard, PullShard pull)
    {
        var range = _data.Shards[shard];
        var initial = ModelInitializer.InitialWeights(_data.Parameters, 5);
        var weights = new ShardWeights(shard, Version, TensorPayload.Encode(initial[range.Start..range.End], PayloadEncoding.F32), pull.PullId);
        var chunks = ChunkingSender.Cut(weights, new ChunkKey($"shard-{shard}", 1, shard, pull.PullId), 1024).ToList();
        Assert.True(chunks.Count > 1, $"shard {shard}'s weights should need several chunks, they have {chunks.Count}");
        return chunks;
    }

    private PullShard[] ExpectPulls() => [.. _shards.Select(s => s.ExpectMsg<PullShard>())];

    [Fact]
    public void Weights_that_arrive_as_chunks_out_of_order_are_reassembled_and_trained_on_and_the_large_pushes_go_out_as_chunks()
    {
        var pulls = ExpectPulls();
        for (var s = 0; s < _shards.Length; s++)
        {
            var chunks = Answer(s, pulls[s]);
            chunks.Reverse();
            chunks.Add(chunks[0]); // one arrives twice
            foreach (var chunk in chunks) _shards[s].Send(_worker, chunk);
        }
        _coordinator.FishForMessage(m => m is RequestWork);
        _coordinator.Reply(new WorkAssigned(Epoch: 0, MicroBatch: 0, Step: 0, IndexInStep: 0, MicroBatchesInStep: 1, SampleIndices: [.. Enumerable.Range(0, 16)]));

        for (var s = 0; s < _shards.Length; s++)
        {
            var receiver = new ChunkReceiver(WireSettings.Of(Sys), Sys.Log, "test");
            PushGradients? push = null;
            while (push is null)
            {
                var message = _shards[s].FishForMessage(m => m is PayloadChunk or PushGradients, TimeSpan.FromSeconds(30));
                Assert.IsType<PayloadChunk>(message); // a gradient of this shard's size does not go whole
                push = receiver.Accept((PayloadChunk)message).Message as PushGradients;
            }
            Assert.Equal((s, "worker-1", 1L, Version, 16), (push.ShardId, push.WorkerId, push.Seq, push.BaseVersion, push.Samples));
            Assert.Null(push.Gradient.Problem(_data.Shards[s].Length));
        }
    }

    [Fact]
    public void A_weights_chunk_damaged_in_transit_makes_the_worker_pull_again()
    {
        var pulls = ExpectPulls();
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(pulls[0]);
        var chunks = Answer(0, pulls[0]);
        var bytes = serializer.ToBinary(chunks[1]);
        bytes[^7] ^= 0x40;

        _shards[0].Send(_worker, serializer.FromBinary(bytes, serializer.Manifest(chunks[1])));

        var again = ExpectPulls();
        Assert.All(again, p => Assert.Equal(pulls[0].PullId + 1, p.PullId));
        foreach (var shard in _shards) shard.ExpectNoMsg(Quiet);
    }
}
