using ActorTrain.Actors.Protocol;
using ActorTrain.Cli.Output;
using Xunit;

namespace ActorTrain.Cli.Tests.Output;

/// <summary>What `run` prints at the end: degraded durability is shown when a shard's snapshot write failed, and only then.</summary>
public sealed class ConsoleJobListenerTests : IDisposable
{
    private readonly string _metrics = Path.GetTempFileName();

    private static JobCompleted Completed(long snapshotFailures) =>
        new(1, 10, 80, 2.5, new ParametersEvaluated(10, 10, 0.5, 0.8, true, 0.5, 0.79, "sha"), 0, 2, [], [], new Dictionary<string, long>(), "asp",
            Snapshots: 4, SnapshotFailures: snapshotFailures);

    private string Printed(long snapshotFailures)
    {
        var console = new StringWriter();
        using (var listener = new ConsoleJobListener(console, _metrics)) listener.OnCompleted(Completed(snapshotFailures));
        return console.ToString();
    }

    [Fact]
    public void Failed_snapshot_writes_are_printed_with_the_final_line_and_kept_in_the_metrics()
    {
        Assert.Contains("durability was degraded: 3 shard snapshot write(s) failed", Printed(3));
        Assert.Contains("\"snapshot_failures\":3", File.ReadAllText(_metrics));
    }

    [Fact]
    public void Nothing_is_said_of_durability_when_every_snapshot_was_written() =>
        Assert.DoesNotContain("durability", Printed(0));

    public void Dispose() => File.Delete(_metrics);
}
