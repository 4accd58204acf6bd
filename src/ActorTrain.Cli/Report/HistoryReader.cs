using System.Globalization;
using System.Text.Json;

namespace ActorTrain.Cli.Report;

/// <summary>
/// Reads the events the report marks from a run's history/*.jsonl: workers lost (their micro-batches re-issued) and
/// joined (a new incarnation's first assignment), shards recovered or rolled back, resumes and coordinator recoveries;
/// and each worker's commits over time, and the pushes sent per shard. Lines of kinds it does not need, or cannot read,
/// are passed over: the invariant checker, not the report, is the judge of a history's shape.
/// </summary>
public static class HistoryReader
{
    private const string Prefix = "{\"type\":\"";
    private static readonly HashSet<string> Wanted =
        ["micro-batch-assigned", "micro-batch-committed", "micro-batch-reissued", "shard-restored", "run-rolled-back", "coordinator-recovered", "push-sent"];

    /// <summary>Events closer than this (a lost worker's re-issues, the shards of one restore) are marked once.</summary>
    private static readonly TimeSpan Burst = TimeSpan.FromSeconds(2);

    public static HistorySeries Read(string runFolder, DateTimeOffset? start)
    {
        var directory = Path.Combine(runFolder, "history");
        if (!Directory.Exists(directory)) return new HistorySeries([], [], new Dictionary<int, long>(), null, Present: false);
        var lines = new List<(DateTimeOffset At, string Type, JsonElement Data)>();
        var pushes = new Dictionary<int, long>();
        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
            foreach (var line in File.ReadLines(file))
            {
                var type = TypeOf(line);
                if (type is null || !Wanted.Contains(type)) continue;
                if (type == "push-sent")
                {
                    if (ShardOf(line) is { } shard) pushes[shard] = pushes.GetValueOrDefault(shard) + 1;
                    continue;
                }
                if (Parse(line) is not { } data || !data.TryGetProperty("at", out var a) || !a.TryGetDateTimeOffset(out var at)) continue;
                lines.Add((at, type, data));
            }
        lines.Sort((x, y) => x.At.CompareTo(y.At));
        DateTimeOffset? first = lines.FirstOrDefault(l => l.Type == "micro-batch-assigned") is { Type: not null } f ? f.At : null;
        var origin = start ?? first ?? (lines.Count > 0 ? lines[0].At : DateTimeOffset.UnixEpoch);
        double Seconds(DateTimeOffset at) => (at - origin).TotalSeconds;
        return new HistorySeries(Events(lines, Seconds), Commits(lines, Seconds), pushes, first, Present: true);
    }

    private static List<RunEvent> Events(List<(DateTimeOffset At, string Type, JsonElement Data)> lines, Func<DateTimeOffset, double> seconds)
    {
        var events = new List<RunEvent>();
        var incarnations = new HashSet<string>(StringComparer.Ordinal);
        (DateTimeOffset At, string Key, int Count, EventKind Kind, string Label)? open = null;
        void Close()
        {
            if (open is { } o) events.Add(new RunEvent(seconds(o.At), null, o.Kind, o.Count > 1 ? $"{o.Label} ({o.Count})" : o.Label));
            open = null;
        }
        void Burst(DateTimeOffset at, string key, EventKind kind, string label)
        {
            if (open is { } o && o.Key == key && at - o.At < HistoryReader.Burst)
            {
                open = o with { Count = o.Count + 1 };
                return;
            }
            Close();
            open = (at, key, 1, kind, label);
        }
        var committed = false;
        foreach (var (at, type, data) in lines)
            switch (type)
            {
                case "micro-batch-committed":
                    committed = true;
                    break;
                case "micro-batch-assigned":
                    var worker = String(data, "workerId");
                    if (incarnations.Add($"{worker}/{Number(data, "incarnation")}")) events.Add(new RunEvent(seconds(at), null, EventKind.NodeJoined, $"{worker} joined"));
                    break;
                case "micro-batch-reissued":
                    var reason = String(data, "reason");
                    Burst(at, "reissued " + reason, EventKind.NodeLost, $"{reason}: micro-batches re-issued");
                    break;
                case "shard-restored" when !committed && Number(data, "version") == 0:
                    break; // a shard starting out records its start as a restore at version 0
                case "shard-restored":
                    var rollback = String(data, "cause") == "rollback";
                    Burst(at, "restored " + rollback, rollback ? EventKind.Rollback : EventKind.Recovery,
                        rollback ? "shards rolled back" : "shard recovered from its snapshot");
                    break;
                case "run-rolled-back":
                    Close();
                    var checkpoint = Number(data, "checkpointId");
                    events.Add(new RunEvent(seconds(at), null, EventKind.Rollback, checkpoint > 0 ? $"rolled back to checkpoint {checkpoint}" : "rolled back to the start"));
                    break;
                case "coordinator-recovered":
                    Close();
                    events.Add(new RunEvent(seconds(at), null, EventKind.Recovery, "coordinator recovered from its journal"));
                    break;
            }
        Close();
        return [.. events.OrderBy(e => e.Seconds)];
    }

    /// <summary>Each worker's running count of commits, at most ~400 points a worker.</summary>
    private static List<WorkerCommits> Commits(List<(DateTimeOffset At, string Type, JsonElement Data)> lines, Func<DateTimeOffset, double> seconds)
    {
        var byWorker = new SortedDictionary<string, List<(double, long)>>(StringComparer.Ordinal);
        foreach (var (at, type, data) in lines)
        {
            if (type != "micro-batch-committed") continue;
            var worker = String(data, "workerId");
            if (!byWorker.TryGetValue(worker, out var series)) byWorker[worker] = series = [];
            series.Add((seconds(at), series.Count + 1));
        }
        return [.. byWorker.Select(w =>
        {
            var step = Math.Max(1, w.Value.Count / 400);
            var thinned = w.Value.Where((_, i) => i % step == 0 || i == w.Value.Count - 1).ToList();
            return new WorkerCommits(w.Key, thinned);
        })];
    }

    private static string? TypeOf(string line)
    {
        if (line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var end = line.IndexOf('"', Prefix.Length);
            return end < 0 ? null : line[Prefix.Length..end];
        }
        return Parse(line) is { } data && data.TryGetProperty("type", out var t) ? t.GetString() : null;
    }

    private static JsonElement? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null; // a line torn by a killed process
        }
    }

    private static string String(JsonElement data, string key) =>
        data.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static long Number(JsonElement data, string key) =>
        data.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    /// <summary>A push-sent line's shard, read without parsing the line: there is one such line per push and shard.</summary>
    private static int? ShardOf(string line)
    {
        const string key = "\"shard\":";
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;
        var end = at + key.Length;
        while (end < line.Length && char.IsAsciiDigit(line[end])) end++;
        return int.TryParse(line.AsSpan(at + key.Length, end - at - key.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var shard) ? shard : null;
    }
}
