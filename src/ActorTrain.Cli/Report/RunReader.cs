using System.Text.Json.Nodes;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;
using ActorTrain.Cli.Output;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Torch.Native;

namespace ActorTrain.Cli.Report;

/// <summary>
/// Reads a run folder for the report: metrics.jsonl, summary.json, staleness.json, history/ and chaos.json, each
/// optional but the first, so a running, crashed or older run reports what it has; what it lacks is said in the notes.
/// </summary>
public static class RunReader
{
    public static RunData Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new UsageException($"run folder {folder} does not exist.");
        var metricsFile = Path.Combine(folder, "metrics.jsonl");
        if (!File.Exists(metricsFile))
            throw new UsageException($"{folder} is not a run folder: it has no metrics.jsonl (actortrain run writes one as the run goes).");
        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var notes = new List<string>();
        var summary = RunFiles.Json(Path.Combine(folder, "summary.json")) as JsonObject;
        if (summary is null) notes.Add("no summary.json: the run has not finished (it is running, stopped or crashed)");
        var settings = Settings(folder, notes);
        var metrics = MetricsReader.Read(metricsFile);
        if (metrics.Skipped > 0) notes.Add($"{metrics.Skipped} line(s) of metrics.jsonl were not JSON records and were skipped");
        if (metrics.Evaluations.Count == 0) notes.Add("no evaluation records: validation was off (evaluator.every-updates = 0) or had not run yet");
        var history = HistoryReader.Read(folder, metrics.Start);
        if (!history.Present) notes.Add("no history/ folder (run.history = off): workers joining and lost, and micro-batches per worker over time, are not shown");
        var events = metrics.Events.Concat(history.Events).Concat(ChaosFaults.Read(folder, new UpdateClock(metrics.Progress))).OrderBy(e => e.Seconds).ToList();
        var staleness = RunFiles.Json(Path.Combine(folder, "staleness.json"));
        var samples = summary?["samples"] is JsonValue s && s.TryGetValue<double>(out var n) ? n : (double?)null;
        return new RunData(folder, id,
            Text(summary, "job") ?? settings?.Job.Name ?? id,
            Mode(summary) ?? settings?.Job.ModeName ?? "?",
            summary, metrics, history, events,
            Counts(staleness?["applied_staleness_updates"]), Counts(staleness?["ssp_clock_gap_at_read"]),
            LearningRate(settings, metrics, notes), PushBytesPerSample(settings, history, samples, summary, notes), notes);
    }

    private static string? Mode(JsonObject? summary)
    {
        var mode = Text(summary, "mode");
        var final = Text(summary, "final_mode");
        return mode is null || final is null || final == mode ? mode : $"{mode} → {final}";
    }

    private static ActorTrainSettings? Settings(string folder, List<string> notes)
    {
        var settings = RunFiles.Settings(folder, out var problem);
        if (problem is not null) notes.Add($"the run's config.hocon could not be read ({problem}): no learning-rate schedule, no bytes per sample");
        return settings;
    }

    /// <summary>The shards' learning rate over the run: the configured schedule, with the recorded changes applied, at 200 points.</summary>
    private static List<RatePoint> LearningRate(ActorTrainSettings? settings, MetricsSeries metrics, List<string> notes)
    {
        if (settings is null) return [];
        var last = metrics.Progress.Count == 0 ? 0 : metrics.Progress.Max(p => p.Updates);
        var total = RateTotal(settings, metrics);
        if (last == 0 || total == 0) return [];
        var rate = new EffectiveLearningRate(settings.Optimizer.ScheduleOver(total), metrics.RateChanges);
        var points = Enumerable.Range(0, 201).Select(i => last * i / 200).Concat(metrics.RateChanges.Select(c => c.AtUpdate))
            .Where(u => u >= 0 && u <= last).Distinct().Order().Select(u => new RatePoint(u, rate.At(u))).ToList();
        if (settings.Job.Mode is Core.Consistency.ConsistencyMode.LocalSgd or Core.Consistency.ConsistencyMode.DiLoCo)
            notes.Add("learning rate: in local SGD and DiLoCo the workers' inner optimizer follows this schedule by micro-batch, the shards apply the outer rate");
        return points;
    }

    /// <summary>The update count the shards' schedule runs over: steps in BSP, micro-batches otherwise (as the head sets it).</summary>
    private static long RateTotal(ActorTrainSettings settings, MetricsSeries metrics)
    {
        var microBatches = metrics.Progress.Count == 0 ? 0 : RecordedTotal(metrics);
        var perStep = Math.Max(1, settings.Training.BatchSize / settings.Training.MicroBatchSize);
        return settings.Job.Mode == Core.Consistency.ConsistencyMode.Bsp ? microBatches / perStep : microBatches;
    }

    private static long RecordedTotal(MetricsSeries metrics) => metrics.Progress.Max(p => Math.Max(p.TotalMicroBatches, p.CompletedMicroBatches));

    /// <summary>
    /// Pushes sent (history) times each shard's length times the encoding's bytes per element, over the samples trained:
    /// the gradient (or pseudo-gradient) payload towards the shards; pulls and message headers are not counted.
    /// </summary>
    private static double? PushBytesPerSample(ActorTrainSettings? settings, HistorySeries history, double? samples, JsonObject? summary, List<string> notes)
    {
        if (settings is null || samples is not > 0 || history.PushesByShard.Count == 0) return null;
        var bytesPerElement = Text(summary, "encoding") switch { "f32" => 4, "bf16" or "f16" => 2, _ => 0 };
        if (bytesPerElement == 0) return null;
        try
        {
            TorchRuntime.EnsureReady();
            var shards = JobModel.Of(settings).Shards;
            var bytes = history.PushesByShard.Sum(p => p.Key < shards.ShardCount ? (double)p.Value * shards[p.Key].Length * bytesPerElement : 0);
            return bytes / samples;
        }
        catch (Exception e) when (e is TorchUnavailableException or SettingsException)
        {
            notes.Add($"bytes per sample: the model's layout is unknown ({e.Message})");
            return null;
        }
    }

    private static List<long> Counts(JsonNode? histogram) =>
        histogram?["counts"] is JsonArray counts ? [.. counts.Select(c => c is JsonValue v && v.TryGetValue<long>(out var x) ? x : 0)] : [];

    private static string? Text(JsonObject? o, string key) => RunFiles.Text(o, key);
}
