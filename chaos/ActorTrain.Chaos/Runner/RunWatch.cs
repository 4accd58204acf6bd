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
    private readonly Dictionary<string, LineTail> _eventTails = [];
    private LineTail? _metrics;
    private string _lastEvent = "";

    private readonly List<(double At, long Updates, long MicroBatches)> _series = [];
    private readonly List<(double At, string Process, string Message)> _events = [];

    public string? RunFolder { get; private set; }

    /// <summary>Every progress report seen, on the runner's clock: what recovery figures are measured on.</summary>
    public IReadOnlyList<(double At, long Updates, long MicroBatches)> Series => _series;

    /// <summary>Every warning or error the processes logged, on the runner's clock.</summary>
    public IReadOnlyList<(double At, string Process, string Message)> Events => _events;
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
            // Two processes may append to metrics.jsonl (a head and the standby that took its job over): skip a torn line.
            using var json = TryParse(line);
            if (json is null) continue;
            var r = json.RootElement;
            if (r.GetProperty("type").GetString() != "progress") continue;
            Updates = r.GetProperty("updates").GetInt64();
            CompletedMicroBatches = r.GetProperty("completed_micro_batches").GetInt64();
            TotalMicroBatches = r.GetProperty("total_micro_batches").GetInt64();
            TrainingStartedAt ??= Now - r.GetProperty("t").GetDouble();
            _series.Add((Now - TrainingStartedAt.Value, Updates, CompletedMicroBatches));
        }
        foreach (var file in Directory.Exists(control.EventsDirectory) ? Directory.GetFiles(control.EventsDirectory, "*.jsonl") : [])
        {
            if (!_eventTails.TryGetValue(file, out var tail)) _eventTails[file] = tail = new LineTail(file);
            var pid = int.Parse(Path.GetFileNameWithoutExtension(file), CultureInfo.InvariantCulture);
            foreach (var line in tail.ReadNew()) Print(pid, line);
        }
    }

    private static JsonDocument? TryParse(string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Print(int pid, string line)
    {
        using var json = TryParse(line);
        if (json is null) return;
        var message = json.RootElement.GetProperty("message").GetString() ?? "";
        var level = json.RootElement.GetProperty("level").GetString();
        _events.Add((TrainingSeconds ?? 0, nameOf(pid), message));
        var text = message.Length > 220 ? message[..220] + "…" : message;
        if (text == _lastEvent) return;
        _lastEvent = text;
        output.WriteLine($"{Stamp}   {nameOf(pid)}: {(level == "ErrorLevel" ? "error: " : "")}{text}");
    }
}
