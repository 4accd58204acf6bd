using System.Globalization;
using System.Text.Json.Nodes;
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
        var summary = RunFiles.Json(Path.Combine(folder, "summary.json")) as JsonObject;
        var (lastUpdates, lastCheckpoint) = Metrics(Path.Combine(folder, "metrics.jsonl"));
        var settings = RunFiles.Settings(folder, out _);
        var (state, detail) = RunCommand.StoppedByCtl(summary)
                ? (RunState.Resumable, "stopped by ctl, from its last checkpoint")
            : summary is not null ? (RunState.Finished, "")
            : AliveProcess(folder) is { } pid ? (RunState.Running, $"pid {pid}")
            : File.Exists(Path.Combine(folder, RunCommand.JobFile)) ? (RunState.Resumable, lastCheckpoint is { } c ? $"from checkpoint {c}" : "from the start")
            : (RunState.Crashed, "");
        return new RunStatus(id, RunFiles.Text(summary, "job") ?? settings?.Job.Name ?? "?", RunFiles.Text(summary, "final_mode") ?? RunFiles.Text(summary, "mode") ?? settings?.Job.ModeName ?? "?",
            state, detail, RunFiles.Number(summary, "updates") is { } u ? (long)u : lastUpdates, RunFiles.Number(summary, "test_accuracy"));
    }

    private static (long? Updates, long? Checkpoint) Metrics(string path)
    {
        if (!File.Exists(path)) return (null, null);
        long? updates = null, checkpoint = null;
        foreach (var line in File.ReadLines(path))
        {
            if (RunFiles.Parse(line) is not JsonObject record) continue;
            var type = RunFiles.Text(record, "type");
            if (type == "progress" && RunFiles.Number(record, "updates") is { } u) updates = (long)u;
            if (type == "checkpoint" && RunFiles.Number(record, "id") is { } c) checkpoint = (long)c;
            if (type == "resumed") checkpoint = RunFiles.Number(record, "checkpoint") is { } r && r > 0 ? (long)r : null;
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
                if (File.Exists(commandLine) && File.ReadAllText(commandLine).Contains("actortrain", StringComparison.OrdinalIgnoreCase)) return pid;
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }
        return null;
    }
}
