using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.History;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class HistoryFileTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("history-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FilePath(string name) => Path.Combine(_folder, name);

    /// <summary>One event of every kind, stamped as a recorder would.</summary>
    private static HistoryEvent[] OneOfEach()
    {
        var events = new HistoryEvent[]
        {
            new PushSent(P("w1", 3, 17), 2, 16, 39),
            new PushApplied(2, P("w1", 3, 17), 40, 1),
            new PushApplied(1, P("w1", 3, 17), 41, 5, 2),
            new PushAcked(2, P("w1", 3, 17), 40, true),
            new PushRejected(2, P("w1", 2, 5), "stale incarnation"),
            new PushRejected(2, P("w2", 1, 5), "superseded", Superseded: true),
            new MicroBatchAssigned(new MicroBatchId(1, 7), "w1", 3),
            new MicroBatchCommitted(new MicroBatchId(1, 7), "w1", 64),
            new MicroBatchCommitted(new MicroBatchId(1, 8), "w1", 0, "loss spike at step 12"),
            new MicroBatchReissued(new MicroBatchId(1, 8), "worker w2 left"),
            new EpochCompleted(1),
            new ModeChanged(ConsistencyMode.Ssp, 3, 120),
            new ShardRestored(2, 38, RestoreCause.Rollback),
            new CheckpointRecorded(9, [new ShardVersion(0, 40), new ShardVersion(1, 40)], true),
            new FinalWeights("00ff"),
            new RunRolledBack(4, [new ShardVersion(0, 16), new ShardVersion(1, 16)], new MicroBatchId(1, 4), [new MicroBatchId(1, 2)]),
            new CoordinatorRecovered(new MicroBatchId(2, 7), [new MicroBatchId(2, 3), new MicroBatchId(1, 9)]),
        };
        return [.. events.Select((e, i) => e with { Process = "ps-1", Sequence = i, At = T0.AddTicks(i * 1234567) })];
    }

    [Fact]
    public void Every_kind_of_event_survives_a_write_and_a_read()
    {
        var events = OneOfEach();
        var path = FilePath("history.jsonl");

        HistoryFile.Write(path, events);

        Assert.Equal(events, HistoryFile.Read(path));
        Assert.Equal(events.Length, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_line_is_one_JSON_object_with_the_kind_and_the_stamp_first()
    {
        var line = HistoryFile.ToLine(new PushApplied(0, P("w1", 3, 17), 44, 2) { Process = "ps-1", Sequence = 5, At = T0 });

        Assert.Equal(
            """{"type":"push-applied","process":"ps-1","sequence":5,"at":"2025-03-04T05:06:07+00:00","shard":0,"push":{"workerId":"w1","incarnation":3,"seq":17},"versionAfter":44,"staleness":2}""",
            line);
        Assert.Equal(new PushApplied(0, P("w1", 3, 17), 44, 2) { Process = "ps-1", Sequence = 5, At = T0 }, HistoryFile.ParseLine(line));
    }

    [Fact]
    public void Modes_and_causes_are_written_by_name()
    {
        Assert.Contains("\"mode\":\"ssp\"", HistoryFile.ToLine(new ModeChanged(ConsistencyMode.Ssp, 3, 120)));
        Assert.Contains("\"cause\":\"rollback\"", HistoryFile.ToLine(new ShardRestored(0, 1, RestoreCause.Rollback)));
    }

    [Fact]
    public void A_skipped_commit_carries_its_reason_and_a_trained_one_no_skipped_field()
    {
        var skipped = new MicroBatchCommitted(new MicroBatchId(1, 8), "w1", 0, "loss spike") { Process = "coord", Sequence = 2, At = T0 };

        Assert.Equal(
            """{"type":"micro-batch-committed","process":"coord","sequence":2,"at":"2025-03-04T05:06:07+00:00","microBatch":{"epoch":1,"index":8},"workerId":"w1","samples":0,"skipped":"loss spike"}""",
            HistoryFile.ToLine(skipped));
        Assert.DoesNotContain("skipped", HistoryFile.ToLine(new MicroBatchCommitted(new MicroBatchId(1, 7), "w1", 64)));
    }

    [Fact]
    public void A_commit_written_before_skips_existed_reads_as_not_skipped()
    {
        const string line = """{"type":"micro-batch-committed","process":"coord","sequence":2,"at":"2025-03-04T05:06:07+00:00","microBatch":{"epoch":1,"index":7},"workerId":"w1","samples":64}""";

        var read = Assert.IsType<MicroBatchCommitted>(HistoryFile.ParseLine(line));

        Assert.Equal(new MicroBatchCommitted(new MicroBatchId(1, 7), "w1", 64) { Process = "coord", Sequence = 2, At = T0 }, read);
        Assert.Null(read.Skipped);
    }

    [Fact]
    public void Append_adds_to_an_existing_file()
    {
        var events = OneOfEach();
        var path = FilePath("history.jsonl");

        HistoryFile.Append(path, events.Take(5));
        HistoryFile.Append(path, events.Skip(5));

        Assert.Equal(events, HistoryFile.Read(path));
    }

    [Fact]
    public void A_last_line_cut_short_by_a_killed_process_is_dropped()
    {
        var events = OneOfEach();
        var path = FilePath("history.jsonl");
        HistoryFile.Write(path, events);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..^20]);

        Assert.Equal(events[..^1], HistoryFile.Read(path));
    }

    [Fact]
    public void A_corrupt_line_inside_the_file_is_an_error_naming_the_file_and_the_line()
    {
        var path = FilePath("history.jsonl");
        File.WriteAllText(path, HistoryFile.ToLine(OneOfEach()[0]) + "\n{not json\n" + HistoryFile.ToLine(OneOfEach()[1]) + "\n");

        var error = Assert.Throws<InvalidDataException>(() => HistoryFile.Read(path));

        Assert.StartsWith($"{path}:2: not a history event: ", error.Message);
    }

    [Fact]
    public void Blank_lines_are_skipped()
    {
        var path = FilePath("history.jsonl");
        File.WriteAllText(path, "\n" + HistoryFile.ToLine(OneOfEach()[0]) + "\n\n");

        Assert.Equal([OneOfEach()[0]], HistoryFile.Read(path));
    }

    [Fact]
    public void Files_of_several_processes_read_merged_by_time()
    {
        var coordinator = new HistoryEvent[] { new EpochCompleted(0) { Process = "coord", Sequence = 0, At = T0.AddSeconds(2) } };
        var shard = new HistoryEvent[]
        {
            new PushApplied(0, P("w0", 1, 1), 1, 0) { Process = "ps", Sequence = 0, At = T0.AddSeconds(1) },
            new PushApplied(0, P("w0", 1, 2), 2, 0) { Process = "ps", Sequence = 1, At = T0.AddSeconds(3) },
        };
        HistoryFile.Write(FilePath("coord.jsonl"), coordinator);
        HistoryFile.Write(FilePath("ps.jsonl"), shard);

        var merged = HistoryFile.ReadMerged([FilePath("coord.jsonl"), FilePath("ps.jsonl")]);

        Assert.Equal([shard[0], coordinator[0], shard[1]], merged);
    }
}
