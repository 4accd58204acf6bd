using System.Globalization;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;

namespace ActorTrain.Cli.Output;

/// <summary>
/// Prints live progress and appends every report to the run's metrics.jsonl. The file is opened at the first report: a
/// standby coordinator node holds a listener from its start but reports only once it has taken the job over, after the
/// head (the file's other writer) is gone, and it must append after the head's last line.
/// </summary>
public sealed class ConsoleJobListener(TextWriter console, string metricsFile) : IJobListener, IDisposable
{
    private StreamWriter? _metrics;
    private readonly object _gate = new();
    private double _lastValidationAccuracy = double.NaN;

    /// <summary>Print each report as the JSON object metrics.jsonl gets, instead of its line (<c>run --json</c>).</summary>
    public bool Json { get; init; }

    public void OnProgress(JobProgressed p)
    {
        var validation = double.IsNaN(_lastValidationAccuracy) ? "  -   " : F(_lastValidationAccuracy, 4);
        Write($"epoch {p.Epoch}  step {p.Step,6}  {100.0 * p.CompletedMicroBatches / p.TotalMicroBatches,5:0.0}%  " +
              $"loss {F(p.MeanLoss, 4)}  val acc {validation}  {p.SamplesPerSecond,8:0} samples/s" +
              (p.ReissuedMicroBatches > 0 ? $"  reissued {p.ReissuedMicroBatches}" : ""),
            new JsonObject
            {
                ["type"] = "progress", ["t"] = p.ElapsedSeconds, ["epoch"] = p.Epoch, ["step"] = p.Step, ["updates"] = p.Updates,
                ["completed_micro_batches"] = p.CompletedMicroBatches, ["total_micro_batches"] = p.TotalMicroBatches,
                ["loss"] = Finite(p.MeanLoss), ["samples_per_second"] = Finite(p.SamplesPerSecond), ["reissued_micro_batches"] = p.ReissuedMicroBatches,
            });
    }

    public void OnEvaluation(ParametersEvaluated e)
    {
        _lastValidationAccuracy = e.ValidationAccuracy;
        var record = new JsonObject
        {
            ["type"] = "evaluation", ["updates"] = e.Updates, ["version"] = e.Version,
            ["validation_loss"] = Finite(e.ValidationLoss), ["validation_accuracy"] = Finite(e.ValidationAccuracy),
        };
        ClassificationJson.AddTo(record, "validation_", e.ValidationConfusion);
        var f1 = ClassificationJson.MacroF1(e.ValidationConfusion);
        Write($"  validation at update {e.Updates}: loss {F(e.ValidationLoss, 4)}  accuracy {F(e.ValidationAccuracy, 4)}" +
              (double.IsNaN(f1) ? "" : $"  macro F1 {F(f1, 4)}"), record);
    }

    public void OnModeChanged(ModeChanged m)
    {
        var mode = m.Description;
        var line = new JsonObject { ["type"] = "mode", ["mode"] = mode, ["at_update"] = m.AtUpdate };
        if (m.Mode == "bsp") line["start_version"] = m.StartVersion;
        Write($"  mode changed to {mode} at update {m.AtUpdate}{(m.Mode == "bsp" ? $" (steps from version {m.StartVersion})" : "")}", line);
    }

    public void OnCheckpoint(CheckpointRecorded c) =>
        Write($"  checkpoint {c.Id} at update {c.Updates} recorded",
            new JsonObject { ["type"] = "checkpoint", ["t"] = c.TrainingSeconds, ["id"] = c.Id, ["updates"] = c.Updates });

    public void OnLearningRateChanged(LearningRateChanged c)
    {
        var record = new JsonObject
        {
            ["type"] = "learning-rate", ["at_update"] = c.AtUpdate, ["learning_rate"] = Finite(c.Rate), ["source"] = c.Source, ["reason"] = c.Reason,
        };
        if (c.Absolute) record["set_to"] = c.Value;
        else record["factor"] = c.Value;
        Write($"  learning rate {c.Rate:g6} from update {c.AtUpdate} ({c.Source}): {c.Reason}", record);
    }

    public void OnBestCheckpoint(BestCheckpointMarked b) =>
        Write($"  checkpoint {b.CheckpointId} at update {b.Updates} is the best so far: {b.Metric} {b.Value:g6} at update {b.EvaluationUpdate}",
            new JsonObject
            {
                ["type"] = "best-checkpoint", ["checkpoint"] = b.CheckpointId, ["updates"] = b.Updates, ["evaluation_update"] = b.EvaluationUpdate,
                ["metric"] = b.Metric, ["value"] = Finite(b.Value),
            });

    public void OnRolledBack(RolledBack r) =>
        Write($"  diverged at update {r.DetectedAtUpdate}: {r.Reason}; rollback {r.Rollback} to " +
              (r.CheckpointId == 0 ? "the start" : $"checkpoint {r.CheckpointId} at update {r.Updates}") +
              $", learning rate ×{r.Factor:g4}, {r.Skipped.Length} micro-batch(es) skipped",
            new JsonObject
            {
                ["type"] = "rollback", ["rollback"] = r.Rollback, ["checkpoint"] = r.CheckpointId, ["updates"] = r.Updates, ["detected_at_update"] = r.DetectedAtUpdate,
                ["factor"] = r.Factor, ["skipped"] = new JsonArray([.. r.Skipped.Select(m => (JsonNode)$"e{m.Epoch}/mb{m.MicroBatch}")]), ["reason"] = r.Reason,
            });

    public void OnEarlyStopped(EarlyStopped s) =>
        Write($"  training stops early at update {s.AtUpdate} ({s.Source}): {s.Reason}",
            new JsonObject { ["type"] = "early-stop", ["at_update"] = s.AtUpdate, ["source"] = s.Source, ["reason"] = s.Reason, ["checkpoint"] = s.CheckpointId });

    public void OnResumed(CheckpointRestored r) =>
        Write(r.Id == 0 ? "  resumed from the start: no checkpoint was complete" : $"  resumed from checkpoint {r.Id} at update {r.Updates}",
            new JsonObject { ["type"] = "resumed", ["checkpoint"] = r.Id, ["updates"] = r.Updates });

    public void OnCompleted(JobCompleted c)
    {
        var f = c.Final;
        var record = new JsonObject
        {
            ["type"] = "final", ["t"] = c.WallSeconds, ["updates"] = c.Updates,
            ["validation_loss"] = Finite(f.ValidationLoss), ["validation_accuracy"] = Finite(f.ValidationAccuracy),
            ["test_loss"] = Finite(f.TestLoss), ["test_accuracy"] = Finite(f.TestAccuracy),
            ["snapshot_failures"] = c.SnapshotFailures,
        };
        if (c.StoppedEarly != null) record["stopped_early"] = c.StoppedEarly;
        if (c.Diverged != null) record["diverged"] = c.Diverged;
        if (c.RestoredBest > 0) record["restored_best"] = c.RestoredBest;
        ClassificationJson.AddTo(record, "validation_", f.ValidationConfusion);
        ClassificationJson.AddTo(record, "test_", f.TestConfusion);
        var f1 = ClassificationJson.MacroF1(f.TestConfusion);
        Write($"done: {c.Updates} updates in {c.WallSeconds:0.0} s; validation accuracy {F(f.ValidationAccuracy, 4)}" +
              (double.IsNaN(f1) ? "" : $"; test accuracy {F(f.TestAccuracy, 4)}, macro F1 {F(f1, 4)}"), record);
        if (Json) return; // the final record says it all
        if (c.StoppedEarly != null)
            lock (_gate)
                console.WriteLine(c.Diverged != null ? $"  training DIVERGED: {c.Diverged}" : $"  training ended early: {c.StoppedEarly}" +
                    (c.RestoredBest > 0 ? $"; the final weights are the best checkpoint's ({c.RestoredBest})" : ""));
        if (c.SnapshotFailures > 0)
            lock (_gate)
                console.WriteLine($"  durability was degraded: {c.SnapshotFailures} shard snapshot write(s) failed (the log says when and why)");
    }

    private void Write(string line, JsonObject record)
    {
        lock (_gate)
        {
            // Wall-clock time: the report lays a resumed session, and the history's events, on one time axis with it.
            record["at"] ??= DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            console.WriteLine(Json ? record.ToJsonString() : line);
            _metrics ??= new StreamWriter(metricsFile, append: true) { AutoFlush = true };
            _metrics.WriteLine(record.ToJsonString());
        }
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string F(double value, int digits) => double.IsFinite(value) ? value.ToString("F" + digits, CultureInfo.InvariantCulture) : "nan";

    public void Dispose()
    {
        lock (_gate) _metrics?.Dispose();
    }
}
