using ActorTrain.Core.Consistency;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class PushDedupTests
{
    private static readonly string[] Workers = ["w0", "w1", "w2"];

    /// <summary>A random interleaving of pushes from three workers, several incarnations each, with resends.</summary>
    private static readonly Gen<PushId[]> Pushes =
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 3], Gen.Int[1, 8], (w, inc, seq) => new PushId(Workers[w], inc, seq)).Array[0, 120];

    [Fact]
    public void A_push_is_fresh_once_and_a_duplicate_after_that()
    {
        var dedup = new PushDedup();
        var push = new PushId("w0", 1, 1);

        Assert.Equal(PushVerdict.Fresh, dedup.Admit(push));
        Assert.Equal(PushVerdict.Duplicate, dedup.Admit(push));
        Assert.Equal(PushVerdict.Duplicate, dedup.Check(push));
    }

    [Fact]
    public void Check_alone_records_nothing()
    {
        var dedup = new PushDedup();
        var push = new PushId("w0", 1, 1);

        Assert.Equal(PushVerdict.Fresh, dedup.Check(push));
        Assert.Equal(PushVerdict.Fresh, dedup.Check(push));
        Assert.Empty(dedup.Export());
    }

    [Fact]
    public void Record_of_a_push_that_is_not_fresh_throws()
    {
        var dedup = new PushDedup();
        dedup.Record(new PushId("w0", 2, 1));

        Assert.Throws<InvalidOperationException>(() => dedup.Record(new PushId("w0", 2, 1)));
        Assert.Throws<InvalidOperationException>(() => dedup.Record(new PushId("w0", 1, 5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Sequence_numbers_below_one_are_rejected(long seq) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PushDedup().Check(new PushId("w0", 1, seq)));

    [Fact]
    public void Pushes_from_an_older_incarnation_after_a_newer_one_are_stale()
    {
        var dedup = new PushDedup();
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 1, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 2, 1)));

        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Admit(new PushId("w0", 1, 1)));
        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Admit(new PushId("w0", 1, 2)));
        Assert.Equal(PushVerdict.Duplicate, dedup.Admit(new PushId("w0", 2, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 2, 2)));
    }

    [Fact]
    public void Workers_are_deduplicated_independently()
    {
        var dedup = new PushDedup();
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 5, 1)));

        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w1", 1, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("W0", 1, 1)));
    }

    [Fact]
    public void Out_of_order_sequence_numbers_are_each_admitted_once()
    {
        var dedup = new PushDedup();
        foreach (var seq in new long[] { 3, 1, 5 }) Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 1, seq)));

        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w0", 1, 2)));
        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w0", 1, 4)));
        Assert.Equal(PushVerdict.Duplicate, dedup.Check(new PushId("w0", 1, 3)));
        var entry = Assert.Single(dedup.Export());
        Assert.Equal(1, entry.Watermark);
        Assert.Equal([3L, 5L], entry.AppliedAboveWatermark);

        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 1, 2)));
        entry = Assert.Single(dedup.Export());
        Assert.Equal(3, entry.Watermark);
        Assert.Equal([5L], entry.AppliedAboveWatermark);
    }

    [Fact]
    public void Verdicts_match_the_reference_model_and_no_push_is_ever_admitted_twice() =>
        Pushes.Sample(pushes =>
        {
            var dedup = new PushDedup();
            var newestIncarnation = new Dictionary<string, long>();
            var admitted = new HashSet<PushId>();
            foreach (var push in pushes)
            {
                var expected =
                    !newestIncarnation.TryGetValue(push.WorkerId, out var newest) || push.Incarnation > newest ? PushVerdict.Fresh
                    : push.Incarnation < newest ? PushVerdict.StaleIncarnation
                    : admitted.Contains(push) ? PushVerdict.Duplicate
                    : PushVerdict.Fresh;

                var verdict = dedup.Admit(push);

                Assert.Equal(expected, verdict);
                if (verdict == PushVerdict.Fresh)
                {
                    Assert.True(admitted.Add(push), $"{push} was admitted twice");
                    newestIncarnation[push.WorkerId] = push.Incarnation;
                }
            }
        }, iter: 400);

    [Fact]
    public void Export_then_Import_gives_a_table_with_the_same_verdicts_and_the_same_export() =>
        Pushes.Sample(pushes =>
        {
            var original = new PushDedup();
            foreach (var push in pushes) original.Admit(push);

            var exported = original.Export();
            var restored = PushDedup.Import(exported);

            AssertSameEntries(exported, restored.Export());
            foreach (var worker in Workers.Append("w3"))
                for (var incarnation = 0; incarnation <= 4; incarnation++)
                    for (var seq = 1; seq <= 10; seq++)
                    {
                        var probe = new PushId(worker, incarnation, seq);
                        Assert.Equal(original.Check(probe), restored.Check(probe));
                    }
        }, iter: 200);

    [Fact]
    public void Export_is_one_entry_per_worker_in_ordinal_order_with_sorted_sequence_numbers()
    {
        var dedup = new PushDedup();
        dedup.Admit(new PushId("b", 1, 4));
        dedup.Admit(new PushId("a", 3, 9));
        dedup.Admit(new PushId("b", 1, 2));
        dedup.Admit(new PushId("B", 7, 1));

        var entries = dedup.Export();

        Assert.Equal(["B", "a", "b"], entries.Select(e => e.WorkerId));
        Assert.Equal([7L, 3L, 1L], entries.Select(e => e.Incarnation));
        Assert.Equal([1L, 0L, 0L], entries.Select(e => e.Watermark));
        Assert.Empty(entries[0].AppliedAboveWatermark);
        Assert.Equal([9L], entries[1].AppliedAboveWatermark);
        Assert.Equal([2L, 4L], entries[2].AppliedAboveWatermark);
    }

    [Fact]
    public void Table_stays_bounded_when_every_sequence_number_arrives_whatever_the_order_and_resends()
    {
        var gen = Gen.Int[1, 60].SelectMany(n =>
            Gen.Select(Gen.Int.Array[n], Gen.Int[0, n - 1].Array[0, 30], (keys, resends) => (n, keys, resends)));
        gen.Sample((n, keys, resends) =>
        {
            // Each seq once in a random order, with resends of already-sent seqs mixed in.
            var order = Enumerable.Range(1, n).OrderBy(s => keys[s - 1]).ThenBy(s => s).ToArray();
            var dedup = new PushDedup();
            var fresh = 0;
            for (var k = 0; k < order.Length; k++)
            {
                if (dedup.Admit(new PushId("w", 1, order[k])) == PushVerdict.Fresh) fresh++;
                var resend = resends.Length > 0 ? order[resends[k % resends.Length] % (k + 1)] : order[k];
                Assert.Equal(PushVerdict.Duplicate, dedup.Admit(new PushId("w", 1, resend)));

                var entry = Assert.Single(dedup.Export());
                var sent = order.Take(k + 1).ToHashSet();
                var expectedWatermark = 0;
                while (sent.Contains(expectedWatermark + 1)) expectedWatermark++;
                Assert.Equal(expectedWatermark, entry.Watermark);
                Assert.Equal(sent.Where(s => s > expectedWatermark).Order().Select(s => (long)s), entry.AppliedAboveWatermark);
            }

            Assert.Equal(n, fresh);
            var final = Assert.Single(dedup.Export());
            Assert.Equal(n, final.Watermark);
            Assert.Empty(final.AppliedAboveWatermark);
        }, iter: 200);
    }

    [Fact]
    public void A_new_incarnation_starts_a_new_window()
    {
        var dedup = new PushDedup();
        for (var seq = 1; seq <= 5; seq++) dedup.Admit(new PushId("w0", 1, seq));
        dedup.Admit(new PushId("w0", 2, 2));

        var entry = Assert.Single(dedup.Export());
        Assert.Equal(2, entry.Incarnation);
        Assert.Equal(0, entry.Watermark);
        Assert.Equal([2L], entry.AppliedAboveWatermark);
        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w0", 2, 1)));
    }

    [Fact]
    public void A_fence_makes_every_push_of_the_fenced_incarnations_stale_and_a_later_incarnation_fresh_from_seq_1()
    {
        var dedup = new PushDedup();
        dedup.Admit(new PushId("w0", 2, 1));
        dedup.Admit(new PushId("w0", 2, 2));

        dedup.Fence("w0", 2);

        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Check(new PushId("w0", 2, 1)));
        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Check(new PushId("w0", 2, 3)));
        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Check(new PushId("w0", 1, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 3, 1)));
        Assert.Equal(PushVerdict.Duplicate, dedup.Check(new PushId("w0", 3, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Admit(new PushId("w0", 4, 1)));
    }

    [Fact]
    public void A_fence_of_a_worker_never_seen_refuses_its_fenced_incarnations_and_admits_the_next()
    {
        var dedup = new PushDedup();

        dedup.Fence("w0", 5);

        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Check(new PushId("w0", 5, 1)));
        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Check(new PushId("w0", 0, 1)));
        Assert.Throws<InvalidOperationException>(() => dedup.Record(new PushId("w0", 5, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w0", 6, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w1", 1, 1)));
    }

    [Fact]
    public void A_fence_is_an_entry_of_the_next_incarnation_with_nothing_applied()
    {
        var dedup = new PushDedup();
        for (var seq = 1; seq <= 4; seq++) dedup.Admit(new PushId("w0", 1, seq));
        dedup.Admit(new PushId("w0", 1, 7));

        dedup.Fence("w0", 1);
        dedup.Fence("w1", 3);

        var entries = dedup.Export();
        Assert.Equal(["w0", "w1"], entries.Select(e => e.WorkerId));
        Assert.Equal([2L, 4L], entries.Select(e => e.Incarnation));
        Assert.Equal([0L, 0L], entries.Select(e => e.Watermark));
        Assert.All(entries, e => Assert.Empty(e.AppliedAboveWatermark));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void A_fence_below_the_newest_incarnation_changes_nothing(long fenced)
    {
        var dedup = new PushDedup();
        dedup.Admit(new PushId("w0", 5, 1));
        dedup.Admit(new PushId("w0", 5, 3));
        var before = dedup.Export();

        dedup.Fence("w0", fenced);

        AssertSameEntries(before, dedup.Export());
        Assert.Equal(PushVerdict.Duplicate, dedup.Check(new PushId("w0", 5, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w0", 5, 2)));
        Assert.Equal(PushVerdict.StaleIncarnation, dedup.Check(new PushId("w0", 4, 1)));
    }

    [Fact]
    public void A_fence_just_below_a_window_keeps_what_that_window_applied()
    {
        var dedup = new PushDedup();
        dedup.Admit(new PushId("w0", 3, 1));

        dedup.Fence("w0", 2);

        Assert.Equal(PushVerdict.Duplicate, dedup.Check(new PushId("w0", 3, 1)));
        Assert.Equal(PushVerdict.Fresh, dedup.Check(new PushId("w0", 3, 2)));
    }

    [Fact]
    public void A_fence_survives_Export_and_Import()
    {
        var dedup = new PushDedup();
        dedup.Admit(new PushId("w0", 1, 1));
        dedup.Fence("w0", 1);

        var restored = PushDedup.Import(dedup.Export());

        Assert.Equal(PushVerdict.StaleIncarnation, restored.Check(new PushId("w0", 1, 2)));
        Assert.Equal(PushVerdict.Fresh, restored.Check(new PushId("w0", 2, 1)));
    }

    [Fact]
    public void The_highest_incarnation_cannot_be_fenced_since_no_later_one_could_push() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PushDedup().Fence("w0", long.MaxValue));

    /// <summary>Pushes as in <see cref="Pushes"/> (incarnations 1 to 4), with fences of incarnations 0 to 3 mixed in.</summary>
    private static readonly Gen<(bool IsFence, PushId Push)[]> PushesAndFences =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 2], Gen.Int[0, 4], Gen.Int[1, 8],
            (kind, w, inc, seq) => (kind == 0, new PushId(Workers[w], kind == 0 ? inc % 4 : Math.Max(1, inc), seq))).Array[0, 120];

    [Fact]
    public void With_fences_verdicts_match_the_reference_model_and_survive_Export_and_Import() =>
        PushesAndFences.Sample(ops =>
        {
            var dedup = new PushDedup();
            var lowestLive = new Dictionary<string, long>(); // newest incarnation seen, or the one after the highest fenced
            var admitted = new HashSet<PushId>();
            foreach (var (isFence, push) in ops)
            {
                var lowest = lowestLive.TryGetValue(push.WorkerId, out var l) ? l : (long?)null;
                if (isFence)
                {
                    dedup.Fence(push.WorkerId, push.Incarnation);
                    lowestLive[push.WorkerId] = Math.Max(lowest ?? long.MinValue, push.Incarnation + 1);
                    continue;
                }
                var expected =
                    lowest is null || push.Incarnation > lowest ? PushVerdict.Fresh
                    : push.Incarnation < lowest ? PushVerdict.StaleIncarnation
                    : admitted.Contains(push) ? PushVerdict.Duplicate
                    : PushVerdict.Fresh;

                var verdict = dedup.Admit(push);

                Assert.Equal(expected, verdict);
                if (verdict == PushVerdict.Fresh)
                {
                    Assert.True(admitted.Add(push), $"{push} was admitted twice");
                    lowestLive[push.WorkerId] = push.Incarnation;
                }
            }

            var restored = PushDedup.Import(dedup.Export());
            AssertSameEntries(dedup.Export(), restored.Export());
            foreach (var worker in Workers)
                for (var incarnation = 0; incarnation <= 6; incarnation++)
                    for (var seq = 1; seq <= 9; seq++)
                    {
                        var probe = new PushId(worker, incarnation, seq);
                        Assert.Equal(dedup.Check(probe), restored.Check(probe));
                    }
        }, iter: 400);

    private static void AssertSameEntries(IReadOnlyList<DedupEntry> expected, IReadOnlyList<DedupEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].WorkerId, actual[i].WorkerId);
            Assert.Equal(expected[i].Incarnation, actual[i].Incarnation);
            Assert.Equal(expected[i].Watermark, actual[i].Watermark);
            Assert.Equal(expected[i].AppliedAboveWatermark, actual[i].AppliedAboveWatermark);
        }
    }
}
