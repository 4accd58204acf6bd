using System.Globalization;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench checkpoint</c>: the throughput a run loses to durability, against the same run with none (no
/// snapshot, no upstream backup, no checkpoint; the coordinator's journal stays, as it always does), all multi-process
/// (head + 2 worker processes, SQLite in the run folder), alternated and measured in this run: shard snapshots every
/// 10 s alone (the figure to hold against CheckFreq's published 3.5% bound), and the default durability (snapshots
/// every 200 updates or 10 s, the workers' upstream backup, which is what makes a shard crash lose nothing, and a
/// checkpoint every 500 updates).
/// </summary>
public static class CheckpointBench
{
    public static async Task RunAsync(string jobFile, IReadOnlyList<string> overrides, int repeats, TextWriter output, CancellationToken cancellation)
    {
        var runs = Path.Combine(Path.GetTempPath(), "actortrain-bench");
        (string Label, string[] Extra)[] variants =
        [
            ("no durability", ["actortrain.persistence.snapshot.every-updates = 0", "actortrain.persistence.snapshot.every = 1000000s",
                "actortrain.persistence.upstream-backup-bytes = 0", "actortrain.persistence.checkpoint.every-updates = 0"]),
            ("snapshots every 10 s", ["actortrain.persistence.snapshot.every-updates = 0", "actortrain.persistence.snapshot.every = 10s",
                "actortrain.persistence.upstream-backup-bytes = 0", "actortrain.persistence.checkpoint.every-updates = 0"]),
            ("default durability", []),
        ];
        var best = new double[variants.Length];
        output.WriteLine("checkpoint: multi-process, 2 workers, 2 shards, ASP, f32; shard snapshots to SQLite in the run folder");
        for (var r = 0; r < repeats; r++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                string[] lines = [.. overrides, "actortrain.job.workers = 2", "actortrain.job.shards = 2", .. variants[v].Extra];
                var (_, completed) = await BenchJob.Of(jobFile, lines).Train(runs, cancellation).ConfigureAwait(false);
                var rate = completed.Samples / completed.TrainingSeconds;
                best[v] = Math.Max(best[v], rate);
                output.WriteLine($"  round {r + 1}: {variants[v].Label,-21} {rate,9:0} samples/s over {completed.TrainingSeconds,5:0.0} s, " +
                                 $"{completed.Snapshots} snapshot(s), {completed.SnapshotFailures} failed");
            }
        }
        output.WriteLine($"checkpoint: snapshots every 10 s cost {Lost(best[1], best[0])} of throughput " +
                         $"(best of {repeats}: {best[1]:0} vs {best[0]:0} samples/s; target ≤ 3.5%)");
        output.WriteLine($"checkpoint: the default durability (snapshots every 200 updates or 10 s, upstream backup) costs {Lost(best[2], best[0])} " +
                         $"({best[2]:0} vs {best[0]:0} samples/s)");
    }

    private static string Lost(double with, double without) => ((1 - with / without) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
