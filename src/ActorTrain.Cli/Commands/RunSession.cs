using ActorTrain.Cli.Telemetry;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using ActorTrain.Cli.Processes;
using ActorTrain.Core.Consistency;
using Akka.Configuration;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// One session of a run in its folder, for run, resume and bench: the run's store, live progress, the job in this process
/// or as the head of child processes, and the summary at the end.
/// </summary>
public static class RunSession
{
    /// <param name="jobText">
    /// The job as given (file and overrides), written to job.hocon with the run's store pinned: what worker and ps
    /// processes load, and what resume reads. Empty: job.hocon is left as it is (resume), or not written (bench).
    /// </param>
    /// <param name="style">Plain lines, the live terminal view, or JSON lines (the header and the end stay as they are).</param>
    public static async Task<JobCompleted> RunAsync(RunFolder folder, Config config, ActorTrainSettings settings, TextWriter progress, string jobText,
        bool inProcess, bool resume, CancellationToken cancellation, OutputStyle style = OutputStyle.Plain)
    {
        // JSON lines: only the records on the output; the notes around them (the header, staleness) are left out.
        var records = progress;
        if (style == OutputStyle.Json) progress = TextWriter.Null;
        (config, settings) = RunCommand.WithRunStore(config, settings, folder.Path);
        if (!resume) folder.WriteConfig(config.GetConfig(ActorTrainSettings.Root).Root.ToString(0));
        var jobFile = Path.Combine(folder.Path, RunCommand.JobFile);
        if (jobText.Length > 0)
        {
            var pinned = $"{jobText}\n# this run's store (ps nodes and resume use the same one)\n{settings.Persistence.ToHocon()}\n{RunCommand.HistoryHocon(settings)}";
            await File.WriteAllTextAsync(jobFile, pinned, cancellation).ConfigureAwait(false);
        }
        var data = JobData.Load(settings);
        progress.WriteLine($"{(resume ? "resuming " : "")}{settings.Job.Name}: {data.Model} ({data.Parameters.TotalLength:N0} parameters), " +
                           $"{settings.Job.ModeName.ToUpperInvariant()}, {settings.Job.Workers} worker(s), {settings.Job.Shards} shard(s), " +
                           $"{settings.Job.Epochs} epoch(s), train/validation/test {data.Splits.Train.Count}/{data.Splits.Validation.Count}/{data.Splits.Test.Count}");
        using var view = style == OutputStyle.Live
            ? new LiveJobView($"{settings.Job.Name} · {settings.Job.ModeName.ToUpperInvariant()} · {settings.Job.Workers} worker(s) · {settings.Job.Shards} shard(s)",
                settings.Job.Epochs, folder.MetricsFile)
            : null;
        using var plain = view is null ? new ConsoleJobListener(records, folder.MetricsFile) { Json = style == OutputStyle.Json } : null;
        IJobListener listener = (IJobListener?)view ?? plain!;
        if (view != null)
        {
            config = ConfigurationFactory.ParseString(LiveLog.Hocon).WithFallback(config);
            LiveLog.Attach(view, Path.Combine(folder.Path, "run.log"));
        }
        try
        {
            var completed = await RunWithListener(folder, config, settings, view?.Lines ?? progress, jobFile, data, listener, view, inProcess, resume, cancellation)
                .ConfigureAwait(false);
            Finish(folder, settings, data, completed, progress);
            return completed;
        }
        finally
        {
            if (view != null) LiveLog.Detach();
        }
    }

    /// <param name="progress">Where the lines during the run go: the output, or the live view's events.</param>
    private static async Task<JobCompleted> RunWithListener(RunFolder folder, Config config, ActorTrainSettings settings, TextWriter progress, string jobFile,
        JobData data, IJobListener listener, LiveJobView? view, bool inProcess, bool resume, CancellationToken cancellation)
    {
        using var telemetry = TelemetryExport.Start(settings.Telemetry, "head");
        if (settings.Telemetry.PrometheusPort > 0)
            progress.WriteLine($"metrics: http://localhost:{settings.Telemetry.PrometheusPort}/metrics" +
                               (inProcess ? "" : " (each process started here serves on the next port)"));
        var children = 0;
        JobCompleted completed;
        if (inProcess)
        {
            var job = InProcessJob.RunAsync(config, settings, data, listener, cancellation, resume);
            completed = view is null ? await job.ConfigureAwait(false) : await view.ShowUntil(job).ConfigureAwait(false);
        }
        else
        {
            if (!File.Exists(jobFile)) throw new UsageException($"{jobFile} is missing: child processes load the job from it");
            var job = ClusterHead.RunAsync(config, settings, data, listener, (seed, role, count) =>
            {
                File.WriteAllText(Path.Combine(folder.Path, RunCommand.HeadAddressFile), seed + "\n");
                progress.WriteLine($"head at {seed}; starting {count} {role} process(es), logs in {folder.Path}/{role}-*.log");
                var first = children;
                children += count;
                return NodeProcesses.Start(role, count, seed, jobFile, folder.Path, cancellation, settings.Cluster.RestartNodes,
                    line => progress.WriteLine(line), n => TelemetryExport.ChildArguments(settings.Telemetry, first + n));
            }, cancellation, resume);
            completed = view is null ? await job.ConfigureAwait(false) : await view.ShowUntil(job).ConfigureAwait(false);
        }
        return completed;
    }

    /// <summary>
    /// What a completed job leaves in its folder (summary.json, staleness.json) and prints, written by whichever process
    /// ended the job: the head, or the standby coordinator node that took it over.
    /// </summary>
    public static void Finish(RunFolder folder, ActorTrainSettings settings, JobData data, JobCompleted completed, TextWriter progress)
    {
        var summary = RunCommand.Summary(settings, completed);
        if (RunInvariants.Check(folder.Path, settings, JobHead.PlanOf(settings, data), data.Shards.ShardCount) is { } verdicts)
            summary[RunInvariants.SummaryKey] = RunInvariants.ToJson(verdicts);
        folder.WriteSummary(summary);
        folder.WriteStaleness(completed, settings.Job.Mode == ConsistencyMode.Ssp ? settings.Job.Staleness : null);
        if (settings.Job.Mode == ConsistencyMode.Bsp) return;
        var applied = StalenessHistogram.From(completed.AppliedStaleness);
        var line = $"staleness of applied pushes: mean {applied.Mean:0.00} updates, max {applied.Max}";
        if (settings.Job.Mode == ConsistencyMode.Ssp)
            line += $"; SSP clock gap at reads: max {StalenessHistogram.From(completed.ClockGapAtPull).Max} (bound {settings.Job.Staleness})";
        progress.WriteLine(line + $" (histograms in {Path.GetFileName(folder.StalenessFile)})");
    }
}
