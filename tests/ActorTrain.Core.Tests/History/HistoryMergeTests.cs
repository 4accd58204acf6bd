using ActorTrain.Core.History;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.History;

public sealed class HistoryMergeTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static EpochCompleted E(string process, long sequence, int seconds) =>
        new(0) { Process = process, Sequence = sequence, At = T0.AddSeconds(seconds) };

    [Fact]
    public void Orders_by_time_then_process_then_sequence()
    {
        var a = new[] { E("a", 0, 1), E("a", 1, 5), E("a", 2, 5) };
        var b = new[] { E("b", 0, 0), E("b", 1, 5) };

        var merged = HistoryMerge.Merge([b, a]);

        Assert.Equal([b[0], a[0], a[1], a[2], b[1]], merged);
    }

    [Fact]
    public void An_event_written_twice_by_a_retried_flush_counts_once()
    {
        var a = new[] { E("a", 0, 1), E("a", 1, 2) };

        Assert.Equal(a, HistoryMerge.Merge([a, [E("a", 1, 2)]]));
    }

    [Fact]
    public void Keeps_every_event_and_each_process_in_its_own_order() =>
        Gen.Int[0, 3].Array[0, 30].Array[1, 4].Sample(gaps =>
        {
            // Each process's clock only moves forward, as a recorder's does.
            var histories = gaps.Select((steps, p) =>
            {
                var seconds = 0;
                return steps.Select((step, i) => E($"p{p}", i, seconds += step)).ToArray();
            }).ToArray();

            var merged = HistoryMerge.Merge(histories);

            Assert.Equal(histories.Sum(h => h.Length), merged.Count);
            foreach (var history in histories)
                Assert.Equal(history, merged.Where(e => e.Process == history.FirstOrDefault()?.Process));
            Assert.True(merged.Zip(merged.Skip(1)).All(p => p.First.At <= p.Second.At));
        }, iter: 200);
}
