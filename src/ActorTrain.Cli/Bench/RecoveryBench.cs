using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench recovery</c>: a multi-process run (head + 2 worker processes) whose worker-1 is SIGKILLed at
/// 40% of the run; prints the time from the kill until throughput (1 s windows of the coordinator's progress reports)
/// is back at ≥ 90% of its mean over the 5 s before the kill. Detection (the failure detector, the coordinator
/// re-issuing the dead worker's micro-batches) and the restart of the worker process (cluster.restart-nodes) are
/// inside that time. The failure-detection profile is the job's (lan by default).
/// </summary>
public static class RecoveryBench
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private const double KillAt = 0.4;
    private const double BackAt = 0.9;

    public static async Task RunAsync(string jobFile, IReadOnlyList<string> overrides, TextWriter output, CancellationToken cancellation)
    {
        var runs = Directory.CreateTempSubdirectory("actortrain-bench-recovery-").FullName;
        string[] lines = [.. overrides, "actortrain.job.workers = 2", "actortrain.job.shards = 2", "actortrain.run.progress-interval = 250ms"];
        var job = BenchJob.Of(jobFile, lines);
        var settings = job.Settings;
        output.WriteLine($"recovery: multi-process, 2 workers, failure detection {settings.Cluster.FailureDetection}, " +
                         $"worker processes restarted up to {settings.Cluster.RestartNodes} time(s); worker-1 is SIGKILLed at {KillAt:P0}");
        var run = job.Train(runs, cancellation);
        var killedAt = await KillWhenDue(runs, run, cancellation).ConfigureAwait(false);
        var (_, completed) = await run.ConfigureAwait(false);
        if (killedAt is null)
        {
            output.WriteLine("recovery: the run ended before the kill; raise --epochs");
            return;
        }
        var progress = Progress(Metrics(runs)!);
        var before = progress.Where(p => p.T > killedAt - 5 && p.T <= killedAt).Select(p => p.Rate).DefaultIfEmpty(0).Average();
        double? back = null;
        for (var i = 3; i < progress.Count; i++)
        {
            if (progress[i].T <= killedAt) continue;
            var window = progress.Skip(i - 3).Take(4).Average(p => p.Rate); // 4 reports of 250 ms
            if (window >= BackAt * before)
            {
                back = progress[i].T - killedAt;
                break;
            }
        }
        output.WriteLine($"  before the kill: {before:0} samples/s; run: {completed.Samples / completed.TrainingSeconds:0} samples/s over " +
                         $"{completed.TrainingSeconds:0.0} s, {completed.ReissuedMicroBatches} micro-batch(es) re-issued");
        output.WriteLine(back is { } seconds
            ? $"recovery: throughput back at ≥ {BackAt:P0} {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s after the SIGKILL (target < 5 s with the lan profile)"
            : $"recovery: throughput never came back to {BackAt:P0} of {before:0} samples/s before the run ended");
    }

    /// <summary>Waits for the run to pass <see cref="KillAt"/>, SIGKILLs worker-1, and gives the coordinator's clock at the kill.</summary>
    private static async Task<double?> KillWhenDue(string runs, Task run, CancellationToken cancellation)
    {
        while (!run.IsCompleted)
        {
            await Task.Delay(Poll, cancellation).ConfigureAwait(false);
            if (Metrics(runs) is not { } file) continue;
            var last = Progress(file).LastOrDefault();
            if (last.Total == 0 || (double)last.Completed / last.Total < KillAt) continue;
            var worker = WorkerProcess("worker-1");
            if (worker is null) continue;
            worker.Kill();
            return last.T + Poll.TotalSeconds / 2; // the last report was written at most one poll ago
        }
        return null;
    }

    private static Process? WorkerProcess(string id)
    {
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (commandLine.Contains($"--worker-id\0{id}\0", StringComparison.Ordinal) &&
                    commandLine.Contains($"--parent-pid\0{Environment.ProcessId}", StringComparison.Ordinal))
                    return Process.GetProcessById(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // the process ended meanwhile
            }
        }
        return null;
    }

    private static string? Metrics(string runs) =>
        Directory.GetDirectories(runs).Select(d => Path.Combine(d, "metrics.jsonl")).FirstOrDefault(File.Exists);

    private static List<(double T, double Rate, long Completed, long Total)> Progress(string metricsFile)
    {
        using var stream = new FileStream(metricsFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var progress = new List<(double, double, long, long)>();
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('{') || !line.EndsWith('}')) continue; // a line still being written
            var node = JsonNode.Parse(line)!;
            if ((string?)node["type"] != "progress") continue;
            progress.Add(((double)node["t"]!, (double?)node["samples_per_second"] ?? 0,
                (long)node["completed_micro_batches"]!, (long)node["total_micro_batches"]!));
        }
        return progress;
    }
}
