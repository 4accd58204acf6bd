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

    public void WriteConfig(string hocon) => File.WriteAllText(System.IO.Path.Combine(Path, "config.hocon"), hocon);

    public void WriteSummary(JsonObject summary) => File.WriteAllText(SummaryFile, summary.ToJsonString(Indented) + "\n");
}
