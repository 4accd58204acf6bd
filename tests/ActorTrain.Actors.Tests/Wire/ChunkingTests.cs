using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Tests.Serialization;
using ActorTrain.Actors.Wire;
using ActorTrain.Core.Wire;
using ActorTrain.Torch.Codecs;
using Akka.Configuration;
using Xunit;

namespace ActorTrain.Actors.Tests.Wire;

/// <summary>
/// The chunking seam on its own: what <see cref="ChunkingSender"/> sends whole or in pieces, and what
/// <see cref="ChunkReceiver"/> makes of the pieces, every message through the wire serializer.
/// </summary>
public sealed class ChunkingTests() : Akka.TestKit.Xunit2.TestKit(
    ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
{
    private const int ChunkSize = 1024;
    private static readonly WireSettings Wire = new(PayloadEncoding.F32, ChunkSize, TimeSpan.FromSeconds(30), 16, TimeSpan.FromSeconds(5));

    private static TensorPayload Payload(int floats) =>
        TensorPayload.Encode(Enumerable.Range(0, floats).Select(i => i * 0.37f - 11f).ToArray(), PayloadEncoding.F32);

    private static ShardWeights Weights(int floats) => new(ShardId: 2, Version: 17, Payload(floats), PullId: 5);

    private ChunkReceiver Receiver() => new(Wire, Sys.Log, "test");

    [Fact]
    public void A_message_whose_payload_fits_in_a_chunk_is_sent_whole_and_a_larger_one_in_chunks_of_at_most_the_chunk_size()
    {
        var sender = new ChunkingSender(Wire, "shard-2");
        var small = Weights(ChunkSize / 4);
        var large = Weights(3000);

        sender.Send(TestActor, small, TestActor);
        sender.Send(TestActor, large, TestActor);

        WireStructure.AssertEqual(small, ExpectMsg<ShardWeights>());
        var total = ActorTrainSerializer.Serialize(large).Length;
        var count = ChunkPlan.For(total, ChunkSize).Count;
        var chunks = Enumerable.Range(0, count).Select(_ => ExpectMsg<PayloadChunk>()).ToList();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Enumerable.Range(0, count), chunks.Select(c => c.Index));
        Assert.All(chunks, c => Assert.Equal((2, "shard-2", "ShardWeights", count, (long)total), (c.ShardId, c.Sender, c.Manifest, c.Count, c.TotalLength)));
        Assert.All(chunks, c => Assert.InRange(c.Bytes.Length, 1, ChunkSize));
        Assert.Single(chunks.Select(c => (c.Incarnation, c.Seq)).Distinct());
    }

    [Fact]
    public void Chunks_in_reverse_order_with_a_duplicate_give_back_the_message_field_for_field_once()
    {
        var push = new PushGradients(1, "worker-1", 3, 12, 4, 0, 1, 32, 4, Payload(2000), Clock: 6);
        var chunks = ChunkingSender.Cut(push, new ChunkKey("worker-1", 3, 1, 12), ChunkSize).Reverse().ToList();
        chunks.Insert(2, chunks[0]);
        var receiver = Receiver();

        var receipts = chunks.Select(receiver.Accept).ToList();

        Assert.All(receipts, r => Assert.Null(r.Problem));
        Assert.All(receipts[..^1], r => Assert.Null(r.Message));
        WireStructure.AssertEqual(push, receipts[^1].Message!);
        Assert.Equal(0, receiver.Pending);
    }

    [Fact]
    public void Two_senders_chunks_interleaved_are_kept_apart_by_their_keys()
    {
        var a = new PushGradients(0, "worker-1", 1, 1, 0, 0, 1, 8, 0, Payload(700));
        var b = a with { WorkerId = "worker-2", Gradient = Payload(900) };
        var chunksA = ChunkingSender.Cut(a, new ChunkKey("worker-1", 1, 0, 1), ChunkSize).ToList();
        var chunksB = ChunkingSender.Cut(b, new ChunkKey("worker-2", 1, 0, 1), ChunkSize).ToList();
        var receiver = Receiver();

        var messages = chunksA.Zip(chunksB, (x, y) => new[] { x, y }).SelectMany(p => p).Concat(chunksB.Skip(chunksA.Count))
            .Select(receiver.Accept).Where(r => r.Message != null).Select(r => r.Message!).ToList();

        Assert.Equal(2, messages.Count);
        WireStructure.AssertEqual(a, messages.Single(m => ((PushGradients)m).WorkerId == "worker-1"));
        WireStructure.AssertEqual(b, messages.Single(m => ((PushGradients)m).WorkerId == "worker-2"));
    }

    [Fact]
    public void A_damaged_chunk_is_reported_with_its_reason_and_a_resend_of_it_completes_the_message()
    {
        var weights = Weights(1000);
        var chunks = ChunkingSender.Cut(weights, new ChunkKey("shard-2", 9, 2, 1), ChunkSize).ToList();
        var receiver = Receiver();

        var damaged = receiver.Accept(chunks[1] with { Damage = "chunk checksum mismatch (sent 1, received chunk hashes to 2)" });
        var others = chunks.Where((_, i) => i != 1).Select(receiver.Accept).ToList();
        var resent = receiver.Accept(chunks[1]);

        Assert.Equal($"chunk 1 of {chunks.Count} of a ShardWeights (shard-2#9 shard 2 seq 1): chunk checksum mismatch (sent 1, received chunk hashes to 2)",
            damaged.Problem);
        Assert.All(others, r => Assert.Equal(default, r));
        WireStructure.AssertEqual(weights, resent.Message!);
    }

    [Fact]
    public void Bytes_altered_before_chunking_pass_the_chunk_checksums_and_are_caught_by_the_payload_checksum_of_the_whole()
    {
        var push = new PushGradients(0, "worker-1", 1, 1, 0, 0, 1, 8, 0, Payload(700));
        var chunks = ChunkingSender.Cut(push, new ChunkKey("worker-1", 1, 0, 1), ChunkSize).ToList();
        var last = chunks[^1];
        var altered = last.Bytes.ToArray();
        altered[^5] ^= 0x10; // inside the last floats of the gradient
        var receiver = Receiver();

        var receipts = chunks.SkipLast(1).Append(last with { Bytes = altered }).Select(receiver.Accept).ToList();

        var received = Assert.IsType<PushGradients>(receipts[^1].Message);
        Assert.StartsWith("payload checksum mismatch", received.Gradient.Problem(700));
    }

    [Fact]
    public void Chunks_that_do_not_make_a_known_message_are_reported_not_thrown()
    {
        var receiver = Receiver();

        var unknown = receiver.Accept(new PayloadChunk(0, "w", 1, 1, "NoSuchMessage", 0, 1, 3, new byte[] { 1, 2, 3 }));
        var garbage = receiver.Accept(new PayloadChunk(0, "w", 1, 2, "PushGradients", 0, 1, 3, new byte[] { 0xc1, 0xc1, 0xc1 }));
        var contradicting = receiver.Accept(new PayloadChunk(0, "w", 1, 3, "PushGradients", 0, 2, 3, new byte[] { 1, 2, 3 }));

        Assert.Equal("the 1 chunks of a NoSuchMessage (w#1 shard 0 seq 1) do not make a message: " +
                     "unknown wire manifest 'NoSuchMessage': the sender runs a different ActorTrain protocol", unknown.Problem);
        Assert.StartsWith("the 1 chunks of a PushGradients (w#1 shard 0 seq 2) do not make a message: ", garbage.Problem);
        Assert.Equal("a PushGradients: chunk 0 of w#1 shard 0 seq 3 has 3 bytes; chunk 0 of 3 bytes cut into 2 has 1", contradicting.Problem);
    }
}
