using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Cli.Report;

/// <summary>
/// Reads metrics.jsonl for the report. Every record kind is optional and records of kinds it does not know are kept as
/// events by their type, so a run written by a newer ActorTrain still reports. Times: a record's <c>at</c> (wall clock)
/// where present, else its <c>t</c> (seconds of its session's training; a resumed session's clock starts again at 0 and
/// is laid after the one before), else the time the progress records give its update count.
/// </summary>
public static class MetricsReader
{
    private static readonly HashSet<string> Quiet = ["progress", "evaluation", "final"];

    public static MetricsSeries Read(string path)
    {
        var (records, skipped) = Parse(path);
        var start = Start(records);
        var times = Times(records, start);
        var progress = new List<ProgressPoint>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            if (Type(r) != "progress" || times[i] is not { } seconds) continue;
            progress.Add(new ProgressPoint(seconds, Long(r, "updates") ?? 0, Long(r, "completed_micro_batches") ?? 0, Long(r, "total_micro_batches") ?? 0,
                RateRecord.First(r, ["loss"]), RateRecord.First(r, ["samples_per_second"]) ?? 0));
        }
        var clock = new UpdateClock(progress);
        var evaluations = new List<EvaluationPoint>();
        var events = new List<RunEvent>();
        var rates = new List<RateChange>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var type = Type(r);
            var updates = Long(r, "at_update") ?? Long(r, "updates");
            var seconds = times[i] ?? (updates is { } u ? clock.SecondsAt(u) : null);
            if (type == "evaluation")
            {
                // At the time the run reached the evaluated update count, not when the evaluator reported (it lags).
                if (updates is { } at && (clock.SecondsAt(at) ?? seconds) is { } s)
                    evaluations.Add(new EvaluationPoint(s, at, RateRecord.First(r, ["validation_loss"]), RateRecord.First(r, ["validation_accuracy"])));
                continue;
            }
            if (RateRecord.IsRateRecord(type) && RateRecord.Read(r) is { } change) rates.Add(change);
            if (Quiet.Contains(type) || seconds is not { } when) continue;
            events.Add(new RunEvent(when, updates, KindOf(type), Label(type, r)));
        }
        return new MetricsSeries(progress, evaluations, events, rates, start, skipped);
    }

    private static (List<JsonObject> Records, int Skipped) Parse(string path)
    {
        var records = new List<JsonObject>();
        var skipped = 0;
        if (!File.Exists(path)) return (records, 0);
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonNode.Parse(line) is JsonObject o && o["type"] is JsonValue) records.Add(o);
                else skipped++;
            }
            catch (JsonException)
            {
                skipped++;
            }
        }
        return (records, skipped);
    }

    /// <summary>
    /// When training began: the earliest wall-clock time less training seconds over the progress records that are into
    /// training (t &gt; 0; those at 0 come while workers start). The listener writes a record a little after its time, so
    /// the earliest is the closest; a resumed session's clock starts again, which only makes its records later.
    /// </summary>
    private static DateTimeOffset? Start(List<JsonObject> records)
    {
        DateTimeOffset? start = null;
        foreach (var r in records)
            if (Type(r) == "progress" && At(r) is { } at && RateRecord.First(r, ["t"]) is > 0 and var t)
            {
                var candidate = at - TimeSpan.FromSeconds(t);
                if (start is null || candidate < start) start = candidate;
            }
        return start ?? records.Select(At).FirstOrDefault(a => a is not null);
    }

    private static double?[] Times(List<JsonObject> records, DateTimeOffset? start)
    {
        var times = new double?[records.Count];
        double offset = 0, last = 0;
        for (var i = 0; i < records.Count; i++)
        {
            if (start is { } s && At(records[i]) is { } at)
            {
                times[i] = (at - s).TotalSeconds;
                continue;
            }
            if (RateRecord.First(records[i], ["t"]) is not { } t) continue;
            if (t + offset < last - 0.5) offset = last; // a new session's clock (resume, standby): lay it after the last
            times[i] = t + offset;
            last = Math.Max(last, t + offset);
        }
        return times;
    }

    private static EventKind KindOf(string type) => type switch
    {
        "checkpoint" => EventKind.Checkpoint,
        "mode" => EventKind.ModeChange,
        "resumed" => EventKind.Rollback,
        _ when RateRecord.IsRateRecord(type) => EventKind.LearningRateChange,
        _ when type.Contains("rollback", StringComparison.OrdinalIgnoreCase) || type.Contains("rolled-back", StringComparison.OrdinalIgnoreCase) => EventKind.Rollback,
        _ when type.Contains("recover", StringComparison.OrdinalIgnoreCase) => EventKind.Recovery,
        _ => EventKind.Other,
    };

    private static string Label(string type, JsonObject r) => type switch
    {
        "checkpoint" => $"checkpoint {Long(r, "id")}",
        "mode" => $"mode {Text(r, "mode")}",
        "resumed" => Long(r, "checkpoint") is > 0 and var id ? $"resumed from checkpoint {id}" : "resumed from the start",
        _ when RateRecord.IsRateRecord(type) && RateRecord.Read(r) is { } c => c.Absolute
            ? $"learning rate {c.Value.ToString("G4", CultureInfo.InvariantCulture)}{Reason(c.Reason)}"
            : $"learning rate × {c.Value.ToString("G4", CultureInfo.InvariantCulture)}{Reason(c.Reason)}",
        _ => type + (Text(r, "reason") is { Length: > 0 } reason ? $": {reason}" : ""),
    };

    private static string Reason(string reason) => reason.Length > 0 ? $" ({reason})" : "";

    public static string Type(JsonObject r) => r["type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static string? Text(JsonObject r, string key) => r[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject r, string key) => RateRecord.First(r, [key]) is { } d ? (long)d : null;

    private static DateTimeOffset? At(JsonObject r) =>
        Text(r, "at") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
