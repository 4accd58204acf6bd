using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;

namespace ActorTrain.Cli.Output;

/// <summary>
/// One line of <c>actortrain runs</c>: a run folder's id, job, mode, state, updates and test accuracy, read from its
/// files without starting anything. A run is running while a process that records its history (history/&lt;role&gt;-&lt;pid&gt;.jsonl)
/// is alive.
/// </summary>
public sealed record RunStatus(string Id, string Job, string Mode, RunState State, string StateDetail, long? Updates, double? TestAccuracy)
{
    /// <summary>Whether <paramref name="folder"/> looks like a run folder: what <c>run</c> writes first.</summary>
    public static bool IsRunFolder(string folder) =>
        File.Exists(Path.Combine(folder, RunFolder.ConfigFileName)) || File.Exists(Path.Combine(folder, "metrics.jsonl"));

    public static RunStatus Of(string folder)
    {
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var summary = Json(Path.Combine(folder, "summary.json"));
        var (lastUpdates, lastCheckpoint) = Metrics(Path.Combine(folder, "metrics.jsonl"));
        var settings = Settings(folder);
        var (state, detail) = summary is not null ? (RunState.Finished, "")
            : AliveProcess(folder) is { } pid ? (RunState.Running, $"pid {pid}")
            : File.Exists(Path.Combine(folder, RunCommand.JobFile)) ? (RunState.Resumable, lastCheckpoint is { } c ? $"from checkpoint {c}" : "from the start")
            : (RunState.Crashed, "");
        return new RunStatus(id, Text(summary, "job") ?? settings?.Job.Name ?? "?", Text(summary, "final_mode") ?? Text(summary, "mode") ?? settings?.Job.ModeName ?? "?",
            state, detail, Number(summary, "updates") is { } u ? (long)u : lastUpdates, Number(summary, "test_accuracy"));
    }

    private static (long? Updates, long? Checkpoint) Metrics(string path)
    {
        if (!File.Exists(path)) return (null, null);
        long? updates = null, checkpoint = null;
        foreach (var line in File.ReadLines(path))
        {
            if (Parse(line) is not JsonObject record) continue;
            var type = Text(record, "type");
            if (type == "progress" && Number(record, "updates") is { } u) updates = (long)u;
            if (type == "checkpoint" && Number(record, "id") is { } c) checkpoint = (long)c;
            if (type == "resumed") checkpoint = Number(record, "checkpoint") is { } r && r > 0 ? (long)r : null;
        }
        return (updates, checkpoint);
    }

    /// <summary>The pid of a live process of this run: a history file's pid whose process is an actortrain (dotnet) process.</summary>
    private static int? AliveProcess(string folder)
    {
        var history = Path.Combine(folder, "history");
        if (!Directory.Exists(history)) return null;
        foreach (var file in Directory.GetFiles(history, "*.jsonl"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var dash = name.LastIndexOf('-');
            if (dash < 0 || !int.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var commandLine = $"/proc/{pid}/cmdline";
            try
            {
                if (File.Exists(commandLine) && File.ReadAllText(commandLine).Contains("actortrain", StringComparison.Ordinal)) return pid;
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }
        return null;
    }

    private static ActorTrainSettings? Settings(string folder)
    {
        try
        {
            return ActorTrainSettings.Create(JobConfig.FromText(RunFolder.Open(folder).ReadConfig()));
        }
        catch (Exception e) when (e is UsageException or SettingsException or Akka.Configuration.ConfigurationException or IOException)
        {
            return null;
        }
    }

    private static JsonObject? Json(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static double? Number(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
}
