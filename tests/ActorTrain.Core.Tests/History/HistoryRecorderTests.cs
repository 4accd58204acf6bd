using ActorTrain.Core.Data;
using ActorTrain.Core.History;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class HistoryRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Record_stamps_the_process_a_sequence_number_and_the_time_and_returns_the_stamped_event()
    {
        var time = new ManualTime(T0);
        var recorder = new HistoryRecorder("ps-1", time);

        var first = recorder.Record(new PushApplied(0, P("w0", 1, 1), 1, 0));
        time.Now = T0.AddMilliseconds(5);
        var second = recorder.Record(new EpochCompleted(0));

        Assert.Equal(new PushApplied(0, P("w0", 1, 1), 1, 0) { Process = "ps-1", Sequence = 0, At = T0 }, first);
        Assert.Equal(new EpochCompleted(0) { Process = "ps-1", Sequence = 1, At = T0.AddMilliseconds(5) }, second);
        Assert.Equal([first, second], recorder.Unflushed());
        Assert.Equal(2, recorder.Count);
        Assert.Equal("ps-1", recorder.Process);
    }

    [Fact]
    public void What_Unflushed_returned_does_not_change_when_more_is_recorded()
    {
        var recorder = new HistoryRecorder("c", new ManualTime(T0));
        recorder.Record(new EpochCompleted(0));

        var snapshot = recorder.Unflushed();
        recorder.Record(new EpochCompleted(1));

        Assert.Single(snapshot);
        Assert.Equal(2, recorder.Unflushed().Count);
    }

    [Fact]
    public void Timestamps_never_go_backwards_when_the_clock_does()
    {
        var time = new ManualTime(T0);
        var recorder = new HistoryRecorder("c", time);

        recorder.Record(new EpochCompleted(0));
        time.Now = T0.AddSeconds(-3);
        var later = recorder.Record(new EpochCompleted(1));

        Assert.Equal(T0, later.At);
    }

    [Fact]
    public async Task Concurrent_recorders_lose_nothing_and_keep_each_thread_in_order()
    {
        const int threads = 4, each = 2000;
        var recorder = new HistoryRecorder("p");
        using var start = new Barrier(threads);

        var tasks = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < each; i++) recorder.Record(new MicroBatchCommitted(new MicroBatchId(t, i), $"w{t}", 1));
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(tasks);

        var events = recorder.Unflushed();
        Assert.Equal(threads * each, events.Count);
        Assert.Equal(Enumerable.Range(0, threads * each).Select(i => (long)i), events.Select(e => e.Sequence));
        for (var t = 0; t < threads; t++)
            Assert.Equal(Enumerable.Range(0, each), events.OfType<MicroBatchCommitted>().Where(c => c.MicroBatch.Epoch == t).Select(c => c.MicroBatch.Index));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public void FlushTo_appends_only_what_was_recorded_since_the_last_flush()
    {
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");
        try
        {
            var recorder = new HistoryRecorder("c", new ManualTime(T0));
            recorder.Record(new EpochCompleted(0));
            recorder.Record(new EpochCompleted(1));

            var recorded = recorder.Unflushed();
            var firstFlush = recorder.FlushTo(path);
            var last = recorder.Record(new FinalWeights("ab"));
            var secondFlush = recorder.FlushTo(path);
            var thirdFlush = recorder.FlushTo(path);

            Assert.Equal([2, 1, 0], new[] { firstFlush, secondFlush, thirdFlush });
            Assert.Equal([.. recorded, last], HistoryFile.Read(path));
            Assert.Empty(recorder.Unflushed()); // flushed events are let go: memory holds only the unflushed tail
            Assert.Equal(3, recorder.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
