using ActorTrain.Core.Wire;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Wire;

public sealed class ChunkAssemblerTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ChunkKey Key = new("worker-1", 7, 2, 41);

    private static ChunkAssembler Assembler(int maxPending = 8) => new(maxPending, TimeSpan.FromSeconds(30));

    /// <summary>The chunks of <paramref name="message"/> cut at most <paramref name="max"/> bytes each: (index, count, bytes).</summary>
    private static (int Index, int Count, byte[] Bytes)[] Cut(byte[] message, int max)
    {
        var plan = ChunkPlan.For(message.Length, max);
        return [.. Enumerable.Range(0, plan.Count).Select(i => (i, plan.Count, message.AsSpan((int)plan.Offset(i), plan.Length(i)).ToArray()))];
    }

    private static ChunkArrival Add(ChunkAssembler assembler, ChunkKey key, (int Index, int Count, byte[] Bytes) chunk, long total, DateTime? at = null) =>
        assembler.Add(key, chunk.Index, chunk.Count, total, chunk.Bytes, at ?? T0);

    private static readonly Gen<(byte[] Message, int Max, int[] Order, int[] Resends)> Deliveries =
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Int[1, 400]).SelectMany((message, max) =>
        {
            var count = ChunkPlan.For(message.Length, max).Count;
            return Gen.Select(Gen.Int.Array[count], Gen.Int[0, count - 1].Array[0, 2 * count],
                (sortKeys, resends) => (message, max, Enumerable.Range(0, count).OrderBy(i => sortKeys[i]).ToArray(), resends));
        });

    [Fact]
    public void Chunks_in_any_order_with_duplicates_give_back_the_message_exactly_once_when_the_last_one_arrives() =>
        Deliveries.Sample((message, max, order, resends) =>
        {
            var assembler = Assembler();
            var chunks = Cut(message, max);
            // Every chunk once in a random order, with resent chunks spliced in at seeded places.
            var sequence = order.ToList();
            foreach (var (resend, at) in resends.Select((r, i) => (r, i))) sequence.Insert(at * 7 % (sequence.Count + 1), resend);
            var seen = new HashSet<int>();
            byte[]? whole = null;
            foreach (var index in sequence)
            {
                var arrival = Add(assembler, Key, chunks[index], message.Length);
                var expected = !seen.Add(index) ? ChunkArrivalKind.Duplicate
                    : seen.Count == chunks.Length ? ChunkArrivalKind.Complete
                    : ChunkArrivalKind.Incomplete;
                Assert.Equal(expected, arrival.Kind);
                Assert.Empty(arrival.Dropped);
                if (expected != ChunkArrivalKind.Complete) continue;
                whole = arrival.Whole;
                break; // later copies would begin a new message under the same key
            }
            Assert.Equal(message, whole);
            Assert.Equal(0, assembler.Pending);
        });

    [Fact]
    public void A_message_missing_a_chunk_stays_incomplete() =>
        Deliveries.Where(d => d.Order.Length > 1).Sample((message, max, order, _) =>
        {
            var assembler = Assembler();
            var chunks = Cut(message, max);
            foreach (var index in order.Skip(1))
                Assert.Equal(ChunkArrivalKind.Incomplete, Add(assembler, Key, chunks[index], message.Length).Kind);
            Assert.Equal(1, assembler.Pending);
        });

    [Fact]
    public void Interleaved_messages_of_different_keys_each_come_back_whole() =>
        Gen.Select(Gen.Byte.Array[1, 500].Array[1, 6], Gen.Int[1, 64], Gen.Int.Array[200]).Sample((messages, max, shuffle) =>
        {
            var assembler = Assembler();
            var deliveries = messages
                .SelectMany((m, k) => Cut(m, max).Select(c => (Key: Key with { Seq = k }, Chunk: c, Total: (long)m.Length)))
                .Select((d, i) => (d, Order: shuffle[i % shuffle.Length] ^ i))
                .OrderBy(d => d.Order)
                .Select(d => d.d);
            var wholes = new Dictionary<long, byte[]>();
            foreach (var (key, chunk, total) in deliveries)
                if (Add(assembler, key, chunk, total) is { Kind: ChunkArrivalKind.Complete, Whole: { } whole }) wholes.Add(key.Seq, whole);
            Assert.Equal(messages.Length, wholes.Count);
            for (var k = 0; k < messages.Length; k++) Assert.Equal(messages[k], wholes[k]);
        });

    [Fact]
    public void A_resend_under_the_same_key_fills_the_hole_an_earlier_send_left()
    {
        var assembler = Assembler();
        var message = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        var chunks = Cut(message, 30);

        Add(assembler, Key, chunks[0], 100);
        Add(assembler, Key, chunks[2], 100);
        Add(assembler, Key, chunks[3], 100); // chunk 1 lost
        var resent = chunks.Select(c => Add(assembler, Key, c, 100).Kind).ToArray();

        // The copies after completion begin a new message under the same key: it never completes and is dropped in time.
        Assert.Equal([ChunkArrivalKind.Duplicate, ChunkArrivalKind.Complete, ChunkArrivalKind.Incomplete, ChunkArrivalKind.Incomplete], resent);
        Assert.Equal(1, assembler.Pending);
    }

    [Fact]
    public void A_chunk_of_the_wrong_length_is_rejected_naming_both_lengths_and_not_stored()
    {
        var assembler = Assembler();

        var arrival = assembler.Add(Key, 1, 3, 10, new byte[4], T0);

        Assert.Equal(ChunkArrivalKind.Rejected, arrival.Kind);
        Assert.Equal("chunk 1 of worker-1#7 shard 2 seq 41 has 4 bytes; chunk 1 of 10 bytes cut into 3 has 3", arrival.Problem);
        Assert.Equal(0, assembler.Pending);
    }

    [Theory]
    [InlineData(3, 3, 10, "chunk 3 of worker-1#7 shard 2 seq 41: it has only 3 chunks")]
    [InlineData(-1, 3, 10, "chunk -1 of worker-1#7 shard 2 seq 41: it has only 3 chunks")]
    [InlineData(0, 0, 10, "chunk 0 of worker-1#7 shard 2 seq 41: 10 bytes cut into 0 chunks")]
    [InlineData(0, 1, -5, "chunk 0 of worker-1#7 shard 2 seq 41: a message of -5 bytes")]
    [InlineData(0, 1, 1L << 40, "chunk 0 of worker-1#7 shard 2 seq 41: a message of 1099511627776 bytes is too large")]
    public void A_chunk_with_an_impossible_header_is_rejected_with_the_reason(int index, int count, long total, string problem)
    {
        var arrival = Assembler().Add(Key, index, count, total, new byte[3], T0);

        Assert.Equal(ChunkArrivalKind.Rejected, arrival.Kind);
        Assert.Equal(problem, arrival.Problem);
    }

    [Fact]
    public void A_chunk_whose_count_or_length_contradicts_earlier_chunks_is_rejected_and_the_message_can_still_complete()
    {
        var assembler = Assembler();
        var message = new byte[] { 1, 2, 3, 4, 5, 6 };
        var chunks = Cut(message, 2);
        Add(assembler, Key, chunks[0], 6);

        var otherCount = assembler.Add(Key, 1, 2, 6, new byte[3], T0);
        var otherLength = assembler.Add(Key, 1, 3, 7, new byte[2], T0);

        Assert.Equal("chunk 1 of worker-1#7 shard 2 seq 41 says 6 bytes in 2 chunks; earlier chunks said 6 bytes in 3", otherCount.Problem);
        Assert.Equal("chunk 1 of worker-1#7 shard 2 seq 41 says 7 bytes in 3 chunks; earlier chunks said 6 bytes in 3", otherLength.Problem);
        Add(assembler, Key, chunks[1], 6);
        Assert.Equal(message, Add(assembler, Key, chunks[2], 6).Whole);
    }

    [Fact]
    public void An_incomplete_message_idle_for_the_timeout_is_dropped_when_a_new_message_begins()
    {
        var assembler = new ChunkAssembler(8, TimeSpan.FromSeconds(30));
        var stale = Key with { Seq = 1 };
        var fresh = Key with { Seq = 2 };
        assembler.Add(stale, 0, 2, 4, new byte[2], T0);
        assembler.Add(stale, 0, 2, 4, new byte[2], T0.AddSeconds(10)); // activity, even a duplicate, keeps it

        Assert.Empty(assembler.Add(fresh, 0, 2, 4, new byte[2], T0.AddSeconds(39)).Dropped);
        var arrival = assembler.Add(Key with { Seq = 3 }, 0, 2, 4, new byte[2], T0.AddSeconds(40));

        Assert.Equal([stale], arrival.Dropped);
        Assert.Equal(2, assembler.Pending);
    }

    [Fact]
    public void Beyond_the_pending_limit_the_least_recently_active_message_is_dropped()
    {
        var assembler = Assembler(maxPending: 2);
        ChunkKey[] keys = [Key with { Seq = 1 }, Key with { Seq = 2 }, Key with { Seq = 3 }];
        assembler.Add(keys[0], 0, 2, 4, new byte[2], T0);
        assembler.Add(keys[1], 0, 2, 4, new byte[2], T0.AddSeconds(1));
        assembler.Add(keys[0], 0, 2, 4, new byte[2], T0.AddSeconds(2));

        var arrival = assembler.Add(keys[2], 0, 2, 4, new byte[2], T0.AddSeconds(3));

        Assert.Equal([keys[1]], arrival.Dropped);
        Assert.Equal(2, assembler.Pending);
        Assert.Equal(ChunkArrivalKind.Complete, assembler.Add(keys[0], 1, 2, 4, new byte[2], T0.AddSeconds(4)).Kind);
    }

    [Fact]
    public void A_single_chunk_message_and_an_empty_message_complete_at_once()
    {
        var assembler = Assembler();

        Assert.Equal(new byte[] { 9, 8 }, assembler.Add(Key, 0, 1, 2, new byte[] { 9, 8 }, T0).Whole);
        Assert.Equal([], assembler.Add(Key, 0, 1, 0, [], T0).Whole!);
    }
}
