using ActorTrain.Cli.Report;
using Xunit;

namespace ActorTrain.Cli.Tests.Report;

/// <summary>The report reads what metrics.jsonl holds today and what later ActorTrains add to it, and a torn last line.</summary>
public sealed class MetricsReaderTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();

    private MetricsSeries Read(params string[] lines)
    {
        File.WriteAllLines(_file, lines);
        return MetricsReader.Read(_file);
    }

    [Fact]
    public void Records_without_a_time_are_placed_by_their_update_count()
    {
        var series = Read(
            """{"type":"progress","t":0,"updates":0,"completed_micro_batches":0,"total_micro_batches":100,"loss":null,"samples_per_second":0}""",
            """{"type":"progress","t":10,"updates":100,"completed_micro_batches":100,"total_micro_batches":100,"loss":0.5,"samples_per_second":320}""",
            """{"type":"evaluation","updates":40,"version":40,"validation_loss":0.6,"validation_accuracy":0.7}""",
            """{"type":"mode","mode":"ssp:2","at_update":50}""");

        var evaluation = Assert.Single(series.Evaluations);
        Assert.Equal(4.0, evaluation.Seconds, 9);
        var mode = Assert.Single(series.Events);
        Assert.Equal((EventKind.ModeChange, "mode ssp:2", 5.0), (mode.Kind, mode.Label, mode.Seconds));
    }

    [Fact]
    public void A_resumed_session_whose_clock_starts_again_is_laid_after_the_first()
    {
        var series = Read(
            """{"type":"progress","t":8,"updates":80,"completed_micro_batches":80,"total_micro_batches":200,"loss":0.5,"samples_per_second":1}""",
            """{"type":"resumed","checkpoint":2,"updates":64}""",
            """{"type":"progress","t":1,"updates":70,"completed_micro_batches":70,"total_micro_batches":200,"loss":0.5,"samples_per_second":1}""");

        Assert.Equal([8.0, 9.0], series.Progress.Select(p => p.Seconds));
        Assert.Contains(series.Events, e => e is { Kind: EventKind.Rollback, Label: "resumed from checkpoint 2" });
    }

    [Fact]
    public void Learning_rate_records_and_kinds_it_does_not_know_become_events_and_a_torn_line_is_skipped()
    {
        var series = Read(
            """{"type":"progress","t":0,"updates":0,"completed_micro_batches":0,"total_micro_batches":10,"loss":null,"samples_per_second":0}""",
            """{"type":"learning-rate","t":2.5,"at_update":30,"learning_rate":0.01,"reason":"plateau"}""",
            """{"type":"early-stopped","t":3,"updates":40,"reason":"no improvement"}""",
            """{"type":"progress","t":4,"upd""");

        Assert.Equal(1, series.Skipped);
        var rate = Assert.Single(series.RateChanges);
        Assert.Equal((30L, 0.01, true), (rate.AtUpdate, rate.Value, rate.Absolute));
        Assert.Contains(series.Events, e => e is { Kind: EventKind.LearningRateChange, Label: "learning rate 0.01 (plateau)", Seconds: 2.5 });
        Assert.Contains(series.Events, e => e is { Kind: EventKind.Other, Label: "early-stopped: no improvement", Seconds: 3.0 });
    }

    [Fact]
    public void Wall_clock_times_put_every_record_on_one_axis_from_the_start_of_training()
    {
        var series = Read(
            """{"type":"progress","t":1,"updates":5,"completed_micro_batches":5,"total_micro_batches":10,"loss":1,"samples_per_second":1,"at":"2026-12-03T10:00:01Z"}""",
            """{"type":"checkpoint","t":0.5,"id":1,"updates":8,"at":"2026-12-03T10:00:05Z"}""");

        Assert.Equal(DateTimeOffset.Parse("2026-12-03T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), series.Start);
        Assert.Equal(5.0, Assert.Single(series.Events).Seconds, 9);
    }

    public void Dispose() => File.Delete(_file);
}
