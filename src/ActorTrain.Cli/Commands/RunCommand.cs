using System.Globalization;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using ActorTrain.Core.History.Invariants;
using Akka.Configuration;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain run job.hocon [--in-process] [--workers N] [--shards S] [--epochs E] [--mode asp|bsp|ssp:s|local-sgd:H|diloco:H]
/// [--seed K] [--set key=value]…</c>: trains, showing live progress, and writes runs/&lt;run-id&gt;/. By default this
/// process is the head (coordinator, ps, evaluator) and each worker is a child process on 127.0.0.1;
/// <c>--in-process</c> runs every role here.
/// </summary>
public static class RunCommand
{
    public const string Usage =
        "actortrain run <job.hocon> [--in-process] [--workers N] [--shards S] [--epochs E]\n" +
        "               [--mode asp|bsp|ssp:s|local-sgd:H|diloco:H] [--seed K] [--runs-dir DIR] [--set actortrain.key=value]...\n" +
        "               [--init-from <model.safetensors>|<run folder>[/best|/last|/<checkpoint id>]] [--fail-on-violation] [--plain|--json]";

    /// <summary>In a multi-process run's folder: the head's address, for `actortrain ctl` and late `actortrain node`s.</summary>
    public const string HeadAddressFile = "head.address";

    /// <summary>In a multi-process run's folder: the job text worker processes load (and ctl reads its TLS settings from).</summary>
    public const string JobFile = "job.hocon";

    private static readonly HashSet<string> Flags = ["in-process", "quiet", "plain", "json", FailOnViolation];

    /// <summary>
    /// The live view on a terminal (stdout not redirected, the process's own console), unless --plain, --json or --quiet;
    /// --json prints JSON lines.
    /// </summary>
    internal static OutputStyle StyleOf(CommandArguments parsed, TextWriter output) =>
        parsed.Has("json") ? OutputStyle.Json
        : !parsed.Has("plain") && !parsed.Has("quiet") && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? OutputStyle.Live
        : OutputStyle.Plain;

    /// <summary>
    /// Run and resume exit with <see cref="ViolationExitCode"/> when an invariant is violated only with this flag (chaos
    /// runs and CI set it): the run itself completed and wrote its results, and a user's `run &amp;&amp; export` should not
    /// stop on a finding that the printed verdicts and summary.json already report.
    /// </summary>
    public const string FailOnViolation = "fail-on-violation";

    /// <summary>The exit code of a run with a violated invariant under --fail-on-violation.</summary>
    public const int ViolationExitCode = 5;

    /// <summary>The exit code of a run that diverged once more than <c>policy.divergence.max-rollbacks</c> allows.</summary>
    public const int DivergedExitCode = 6;
    private static readonly HashSet<string> Valued = ["workers", "shards", "epochs", "mode", "seed", "runs-dir", "init-from"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, Flags, Valued);
        if (parsed.Positionals.Count != 1) throw new UsageException($"run takes one job file.\nusage: {Usage}");
        var overrides = Overrides(parsed);
        var config = JobConfig.FromFile(parsed.Positionals[0], overrides);
        var settings = ActorTrainSettings.Create(config);
        // A frozen layer the model lacks is refused before a run folder exists.
        if (settings.Run.Freeze.Count > 0) JobHead.FrozenOf(settings, JobModel.Of(settings).Parameters);
        // What worker processes load: the job file as given, then the command line's overrides.
        var jobText = JobText(parsed.Positionals[0]) + "\n# command-line overrides\n" + string.Join("\n", overrides) + "\n";
        var folder = RunFolder.Create(parsed.Value("runs-dir") ?? settings.Run.Directory, settings.Job.Name, DateTime.UtcNow);
        if (parsed.Value("init-from") is { } source)
        {
            string path, description;
            try
            {
                (path, description) = await InitFrom.WriteAsync(source, folder, cancellation).ConfigureAwait(false);
                InitFrom.Check(path, source, settings); // before anything runs: a refused run leaves no folder behind
            }
            catch
            {
                Directory.Delete(folder.Path, recursive: true);
                throw;
            }
            var pinned = $"{RunSettings.InitFromKey} = {HoconText.Quote(path)}";
            overrides.Add(pinned);
            config = JobConfig.FromFile(parsed.Positionals[0], overrides);
            settings = ActorTrainSettings.Create(config);
            jobText += pinned + "\n";
            if (!parsed.Has("quiet")) output.WriteLine($"starting from {description}");
        }
        var style = StyleOf(parsed, output);
        var completed = await RunSession.RunAsync(folder, config, settings, parsed.Has("quiet") ? TextWriter.Null : output, jobText,
            parsed.Has("in-process"), resume: false, cancellation, style).ConfigureAwait(false);
        return Report(output, folder, completed, parsed.Has(FailOnViolation), style == OutputStyle.Json);
    }

    /// <summary>
    /// The last lines of run and resume: the invariants' verdicts, where the run folder is, and the test accuracy; non-zero
    /// (<see cref="ViolationExitCode"/>) only when an invariant is violated and <paramref name="failOnViolation"/>.
    /// </summary>
    /// <param name="json">Print summary.json as one JSON line (<c>--json</c>) instead of the lines.</param>
    internal static int Report(TextWriter output, RunFolder folder, JobCompleted completed, bool failOnViolation, bool json = false)
    {
        var summary = JsonNode.Parse(File.ReadAllText(folder.SummaryFile))!.AsObject();
        var verdicts = RunInvariants.FromSummary(summary);
        if (json)
        {
            summary["type"] = "summary";
            summary["run_folder"] = folder.Path;
            output.WriteLine(summary.ToJsonString());
            return completed.Diverged != null ? DivergedExitCode : failOnViolation && !InvariantReport.AllHold(verdicts) ? ViolationExitCode : 0;
        }
        foreach (var verdict in verdicts) output.WriteLine(InvariantReport.Line(verdict));
        output.WriteLine($"run folder: {folder.Path}");
        output.WriteLine($"test accuracy: {completed.Final.TestAccuracy.ToString("F4", CultureInfo.InvariantCulture)}");
        if (completed.Resumable) output.WriteLine($"stopped: actortrain resume {folder.Path} goes on from its last checkpoint");
        if (completed.Diverged != null)
        {
            output.WriteLine($"diverged: {completed.Diverged}");
            return DivergedExitCode;
        }
        return failOnViolation && !InvariantReport.AllHold(verdicts) ? ViolationExitCode : 0;
    }

    /// <summary>
    /// The job file as child processes load it from the run folder: as written, or with its includes resolved when it has
    /// any (a relative include would not be found from the run folder).
    /// </summary>
    private static string JobText(string path)
    {
        var text = File.ReadAllText(path);
        return text.Contains("include", StringComparison.Ordinal) ? $"# {path}, includes resolved\n{HoconFile.Read(path).Root}" : text;
    }

    /// <summary>The run's history directory as a job.hocon line, for the run's child processes.</summary>
    internal static string HistoryHocon(ActorTrainSettings settings) =>
        $"{RunSettings.HistoryDirectoryKey} = {HoconText.Quote(settings.Run.HistoryDirectory)}";

    /// <summary>
    /// Runs a job and writes its run folder; shared by run and bench. With <paramref name="workerJobText"/> null every
    /// role runs in this process; otherwise this process is the cluster's head and the workers are child
    /// processes that load that job text.
    /// </summary>
    public static async Task<(RunFolder Folder, JobCompleted Completed)> TrainAsync(Config config, ActorTrainSettings settings, string runsDirectory,
        TextWriter progress, CancellationToken cancellation, string? workerJobText = null)
    {
        var folder = RunFolder.Create(runsDirectory, settings.Job.Name, DateTime.UtcNow);
        var completed = await RunSession.RunAsync(folder, config, settings, progress, workerJobText ?? "", inProcess: workerJobText is null,
            resume: false, cancellation).ConfigureAwait(false);
        return (folder, completed);
    }

    /// <summary>
    /// The run's store: <c>actortrain.persistence.run-id</c> defaults to the folder's name and the connection string is
    /// resolved (SQLite: the folder's state.db), in the settings and in the config (so config.hocon shows them), and the
    /// config gets Akka.Persistence's journal and snapshot store for them.
    /// </summary>
    internal static (Config, ActorTrainSettings) WithRunStore(Config config, ActorTrainSettings settings, string folder)
    {
        var persistence = PersistenceConfig.ForRun(settings.Persistence, folder);
        var run = settings.Run with { HistoryDirectory = RunInvariants.HistoryDirectory(folder) };
        var pinned = PersistenceConfig.Apply(ConfigurationFactory.ParseString($"{persistence.ToHocon()}\n{HistoryHocon(settings with { Run = run })}")
            .WithFallback(config), persistence, folder);
        return (pinned, settings with { Persistence = persistence, Run = run });
    }

    /// <summary>summary.json's key that marks a run stopped by <c>actortrain ctl stop</c>, which <c>resume</c> goes on from.</summary>
    public const string ResumableKey = "resumable";

    /// <summary>Whether a run's <paramref name="summary"/> says it was stopped by <c>actortrain ctl stop</c> (resume goes on from it).</summary>
    public static bool StoppedByCtl(JsonNode? summary) =>
        summary?[ResumableKey] is JsonValue value && value.TryGetValue<bool>(out var resumable) && resumable;

    internal static JsonObject Summary(ActorTrainSettings s, JobCompleted c)
    {
        var summary = SummaryFields(s, c);
        if (c.StoppedEarly != null) summary["stopped_early"] = c.StoppedEarly;
        if (c.Resumable) summary[ResumableKey] = true;
        if (c.Diverged != null) summary["diverged"] = c.Diverged;
        if (c.RestoredBest > 0) summary["restored_best"] = c.RestoredBest;
        if (c.NonFiniteRefused > 0) summary["non_finite_pushes_refused"] = c.NonFiniteRefused;
        if (c.Rollbacks is { } rollbacks)
            summary["rollbacks"] = new JsonArray([.. rollbacks.Select(r => (JsonNode)new JsonObject
            {
                ["rollback"] = r.Rollback, ["checkpoint"] = r.CheckpointId, ["updates"] = r.Updates, ["detected_at_update"] = r.DetectedAtUpdate,
                ["factor"] = r.Factor, ["skipped_micro_batches"] = r.Skipped.Length, ["reason"] = r.Reason,
            })]);
        if (c.RateChanges is { } changes)
            summary["learning_rate_changes"] = new JsonArray([.. changes.Select(r => (JsonNode)new JsonObject
            {
                ["at_update"] = r.AtUpdate, ["learning_rate"] = r.Rate, ["source"] = r.Source, ["reason"] = r.Reason,
            })]);
        if (c.BestCheckpoint is { } best)
            summary["best_checkpoint"] = new JsonObject
            {
                ["id"] = best.CheckpointId, ["updates"] = best.Updates, ["evaluation_update"] = best.EvaluationUpdate, ["metric"] = best.Metric,
                ["value"] = best.Value,
            };
        ClassificationJson.AddTo(summary, "test_", c.Final.TestConfusion);
        return summary;
    }

    private static JsonObject SummaryFields(ActorTrainSettings s, JobCompleted c) => new()
    {
        ["job"] = s.Job.Name,
        ["test_accuracy"] = c.Final.TestAccuracy,
        ["test_loss"] = c.Final.TestLoss,
        ["validation_accuracy"] = c.Final.ValidationAccuracy,
        ["validation_loss"] = c.Final.ValidationLoss,
        ["epochs"] = c.Epochs,
        ["updates"] = c.Updates,
        ["samples"] = c.Samples,
        ["wall_seconds"] = c.WallSeconds,
        ["training_seconds"] = c.TrainingSeconds,
        ["samples_per_second"] = c.Samples / c.TrainingSeconds,
        ["mode"] = s.Job.ModeName,
        ["final_mode"] = c.FinalMode,
        ["workers"] = s.Job.Workers,
        ["shards"] = s.Job.Shards,
        ["seed"] = s.Job.Seed,
        ["micro_batch_size"] = s.Training.MicroBatchSize,
        ["batch_size"] = s.Training.BatchSize,
        ["encoding"] = s.Wire.Encoding.ToString().ToLowerInvariant(),
        ["reissued_micro_batches"] = c.ReissuedMicroBatches,
        ["weights_sha256"] = c.Final.WeightsSha256,
        ["snapshots"] = c.Snapshots,
        ["snapshot_failures"] = c.SnapshotFailures,
        ["shard_nodes"] = new JsonObject([.. (c.ShardNodes ?? new Dictionary<int, string>()).OrderBy(p => p.Key)
            .Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value))]),
        ["micro_batches_by_worker"] = new JsonObject([.. c.MicroBatchesByWorker.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
    };

    private static List<string> Overrides(CommandArguments parsed)
    {
        var lines = new List<string>();
        void Add(string key, string? value)
        {
            if (value != null) lines.Add($"actortrain.{key} = \"{value}\"");
        }
        Add("job.workers", parsed.Int("workers", 1)?.ToString(CultureInfo.InvariantCulture));
        Add("job.shards", parsed.Int("shards", 1)?.ToString(CultureInfo.InvariantCulture));
        Add("job.epochs", parsed.Int("epochs", 1)?.ToString(CultureInfo.InvariantCulture));
        if (parsed.Value("mode") is { } mode)
        {
            var argument = ModeArgument.Parse(mode);
            Add("job.mode", argument.Mode);
            Add("job.staleness", argument.Staleness?.ToString(CultureInfo.InvariantCulture));
            Add("job.inner-steps", argument.InnerSteps?.ToString(CultureInfo.InvariantCulture));
        }
        Add("job.seed", parsed.Value("seed"));
        foreach (var set in parsed.Sets)
        {
            var eq = set.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--set {set}: expected key=value, e.g. --set actortrain.optimizer.learning-rate=0.01");
            lines.Add($"{set[..eq].Trim()} = {set[(eq + 1)..].Trim()}");
        }
        return lines;
    }
}
