using System.Globalization;
using System.Text.Json;
using ActorTrain.Chaos.Agent;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// Follows a chaos run from its files: the run folder the job creates, its metrics.jsonl (updates, micro-batches, when
/// training began) and the warnings each process's agent writes, printed as the system's reactions to the faults.
/// </summary>
public sealed class RunWatch(string runsDirectory, ControlDirectory control, TextWriter output, Func<int, string> nameOf, Func<double> clock)
{
    private readonly Dictionary<string, LineTail> _events = [];
    private LineTail? _metrics;
    private string _lastEvent = "";

    public string? RunFolder { get; private set; }
    public long Updates { get; private set; }
    public long CompletedMicroBatches { get; private set; }
    public long TotalMicroBatches { get; private set; }

    /// <summary>On the runner's clock, when training began (the first progress record, less its own time); null before.</summary>
    public double? TrainingStartedAt { get; private set; }

    public double Now => clock();

    /// <summary>Seconds into training, or null before it began.</summary>
    public double? TrainingSeconds => TrainingStartedAt is { } s ? Now - s : null;

    public bool Summarized => RunFolder != null && File.Exists(Path.Combine(RunFolder, "summary.json"));

    public string Stamp => $"[{(TrainingSeconds ?? 0).ToString("0.0", CultureInfo.InvariantCulture),6} s, update {Updates,6}]";

    public void Poll()
    {
        if (RunFolder is null && Directory.Exists(runsDirectory) && Directory.GetDirectories(runsDirectory).FirstOrDefault() is { } folder)
        {
            RunFolder = folder;
            _metrics = new LineTail(Path.Combine(folder, "metrics.jsonl"));
        }
        foreach (var line in _metrics?.ReadNew() ?? [])
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            if (r.GetProperty("type").GetString() != "progress") continue;
            Updates = r.GetProperty("updates").GetInt64();
            CompletedMicroBatches = r.GetProperty("completed_micro_batches").GetInt64();
            TotalMicroBatches = r.GetProperty("total_micro_batches").GetInt64();
            TrainingStartedAt ??= Now - r.GetProperty("t").GetDouble();
        }
        foreach (var file in Directory.Exists(control.EventsDirectory) ? Directory.GetFiles(control.EventsDirectory, "*.jsonl") : [])
        {
            if (!_events.TryGetValue(file, out var tail)) _events[file] = tail = new LineTail(file);
            var pid = int.Parse(Path.GetFileNameWithoutExtension(file), CultureInfo.InvariantCulture);
            foreach (var line in tail.ReadNew()) Print(pid, line);
        }
    }

    private void Print(int pid, string line)
    {
        using var json = JsonDocument.Parse(line);
        var message = json.RootElement.GetProperty("message").GetString() ?? "";
        var level = json.RootElement.GetProperty("level").GetString();
        var text = message.Length > 220 ? message[..220] + "…" : message;
        if (text == _lastEvent) return;
        _lastEvent = text;
        output.WriteLine($"{Stamp}   {nameOf(pid)}: {(level == "ErrorLevel" ? "error: " : "")}{text}");
    }
}
