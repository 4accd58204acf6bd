using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorTrain.Cli.Output;

/// <summary>A run's folder, runs/&lt;run-id&gt;/: the resolved config, metrics.jsonl and summary.json.</summary>
public sealed class RunFolder
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private RunFolder(string path, string runId)
    {
        Path = path;
        RunId = runId;
    }

    /// <summary>An existing run's folder, for resume; its name is the run's id.</summary>
    public static RunFolder Open(string path)
    {
        if (!Directory.Exists(path)) throw new Commands.UsageException($"run folder {path} does not exist.");
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        return new RunFolder(path, System.IO.Path.GetFileName(full));
    }

    public string Path { get; }
    public string RunId { get; }
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");
    public string SummaryFile => System.IO.Path.Combine(Path, "summary.json");

    public static RunFolder Create(string runsDirectory, string jobName, DateTime now)
    {
        var stamp = now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var runId = $"{jobName}-{stamp}";
        var path = System.IO.Path.Combine(runsDirectory, runId);
        for (var n = 2; Directory.Exists(path); n++)
        {
            runId = $"{jobName}-{stamp}-{n}";
            path = System.IO.Path.Combine(runsDirectory, runId);
        }
        Directory.CreateDirectory(path);
        return new RunFolder(path, runId);
    }

    public string StalenessFile => System.IO.Path.Combine(Path, "staleness.json");

    /// <summary>
    /// The staleness histograms of a run: of every applied push, in updates, and under SSP of every worker read,
    /// in clocks behind the slowest worker (each at most <paramref name="bound"/>).
    /// </summary>
    public void WriteStaleness(ActorTrain.Actors.Protocol.JobCompleted completed, int? bound)
    {
        static JsonObject Histogram(long[] counts)
        {
            var h = ActorTrain.Core.Consistency.StalenessHistogram.From(counts);
            return new JsonObject
            {
                ["counts"] = new JsonArray([.. h.Counts.Select(c => (JsonNode)c)]),
                ["total"] = h.Total, ["mean"] = h.Mean, ["max"] = h.Max,
            };
        }
        var json = new JsonObject { ["applied_staleness_updates"] = Histogram(completed.AppliedStaleness) };
        if (bound is { } s) json["ssp_bound"] = s;
        if (bound is not null || completed.ClockGapAtPull.Length > 0) json["ssp_clock_gap_at_read"] = Histogram(completed.ClockGapAtPull);
        File.WriteAllText(StalenessFile, json.ToJsonString(Indented) + "\n");
    }

    public void WriteConfig(string hocon) => File.WriteAllText(System.IO.Path.Combine(Path, "config.hocon"), hocon);

    public void WriteSummary(JsonObject summary) => File.WriteAllText(SummaryFile, summary.ToJsonString(Indented) + "\n");
}
