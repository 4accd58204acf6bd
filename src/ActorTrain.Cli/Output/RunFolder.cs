using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;

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

    public string Path { get; }
    public string RunId { get; }
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");
    public const string SummaryFileName = "summary.json";

    public string SummaryFile => System.IO.Path.Combine(Path, SummaryFileName);

    /// <summary>An existing run's folder, as <c>export</c> and other commands on a finished run take it.</summary>
    public static RunFolder Open(string path)
    {
        if (!Directory.Exists(path)) throw new UsageException($"run folder {path} does not exist.");
        if (!File.Exists(System.IO.Path.Combine(path, ConfigFileName)))
            throw new UsageException($"{path} is not a run folder: it has no {ConfigFileName} (actortrain run writes one when a run starts).");
        return new RunFolder(path, System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path))));
    }

    /// <summary>
    /// The folder of a job file a node loaded (a run folder's job.hocon, or a copy of it on another machine): where a
    /// standby coordinator node that finishes the job writes the run's summary.
    /// </summary>
    public static RunFolder OfJobFile(string jobFile)
    {
        var path = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(jobFile)) ?? ".";
        return new RunFolder(path, System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path)));
    }

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

    /// <summary>The run's resolved <c>actortrain</c> section.</summary>
    public const string ConfigFileName = "config.hocon";

    public void WriteConfig(string hocon) => File.WriteAllText(System.IO.Path.Combine(Path, ConfigFileName), hocon);

    /// <summary>The run's config as HOCON with the <c>actortrain</c> section at its root, for <c>JobConfig.FromText</c>.</summary>
    /// <remarks>
    /// config.hocon is Akka's rendering of the section, one <c>key : value</c> per line, which does not always parse
    /// back: an empty string is written as nothing (the next line would become its value) and a string holding '=' or
    /// ';' (a PostgreSQL connection string) unquoted. Each single value that is not already quoted is read as the
    /// quoted string it was; ActorTrain's settings parse numbers, switches, durations and sizes from strings.
    /// </remarks>
    public string ReadConfig()
    {
        var lines = File.ReadAllText(System.IO.Path.Combine(Path, ConfigFileName)).Split('\n').Select(line =>
        {
            line = line.TrimEnd('\r');
            var separator = line.IndexOf(" : ", StringComparison.Ordinal);
            if (separator < 0) return line;
            var value = line[(separator + 3)..].Trim();
            return value.StartsWith('"') || value.StartsWith('{') || value.StartsWith('[')
                ? line
                : line[..(separator + 3)] + HoconText.Quote(value);
        });
        return $"{ActorTrainSettings.Root} {{\n{string.Join("\n", lines)}\n}}\n";
    }

    /// <summary>Written whole or not at all (a new file moved into place): whoever waits for it never reads half of it.</summary>
    public void WriteSummary(JsonObject summary)
    {
        var written = SummaryFile + ".tmp";
        File.WriteAllText(written, summary.ToJsonString(Indented) + "\n");
        File.Move(written, SummaryFile, overwrite: true);
    }
}
