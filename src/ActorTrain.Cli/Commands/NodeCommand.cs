using ActorTrain.Cli.Telemetry;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using ActorTrain.Cli.Processes;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain node --roles worker|ps|coordinator --seed akka.tcp://actortrain@host:port --config job.hocon</c>: joins a
/// running job's cluster (from this machine or another) as a worker, a ps node hosting parameter shards, a standby
/// coordinator that takes the job over if the head dies, or several of these.
/// </summary>
public static class NodeCommand
{
    public const string Usage =
        "actortrain node --roles worker|ps|coordinator --seed <head address> --config <job.hocon> [--worker-id ID] [--port P] [--parent-pid PID]\n" +
        "               [--log FILE] [--set key=value]...";

    private static readonly HashSet<string> Valued = ["roles", "seed", "config", "worker-id", "port", "parent-pid", "log"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        var rolesText = parsed.Value("roles") ?? throw new UsageException($"--roles is required.\nusage: {Usage}");
        var roles = rolesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (roles.Count == 0 || roles.FirstOrDefault(r => !ClusterNode.JoinableRoles.Contains(r)) is { } unknown && unknown != null)
            throw new UsageException($"--roles {rolesText}: a joining node takes worker, ps and/or coordinator (comma-separated); " +
                                     "the evaluator runs with the coordinator.");
        var seed = parsed.Value("seed") ?? throw new UsageException($"--seed is required: the head's address, e.g. akka.tcp://actortrain@127.0.0.1:4053.\nusage: {Usage}");
        var jobFile = parsed.Value("config") ?? throw new UsageException($"--config is required.\nusage: {Usage}");
        var config = JobConfig.FromFile(jobFile, parsed.Sets.Select(s => s.Replace("=", " = ", StringComparison.Ordinal)));
        var settings = ActorTrainSettings.Create(config);
        var coordinator = roles.Contains(JobHead.CoordinatorRole);
        // Shards (snapshots) and the coordinator (its journal) persist; `run` pins the store in job.hocon, and state.db otherwise sits beside it.
        if (roles.Contains(ShardEntities.Role) || coordinator)
            config = PersistenceConfig.Apply(config, settings.Persistence, Path.GetDirectoryName(Path.GetFullPath(jobFile)) ?? ".");
        var workerId = parsed.Value("worker-id") ?? $"worker-{Environment.MachineName}-{Environment.ProcessId}";
        // A child of `run` writes its own log: it may outlive its parent (a standby takes the job over), which held the pipes.
        // Not disposed: Akka's logger writes to the console until the process ends.
        if (parsed.Value("log") is { } logFile) output = NodeLog.Open(logFile);

        // The node's guard decides what the parent's end means: stop, or go on under a standby coordinator.
        using var parentGone = new CancellationTokenSource();
        if (parsed.Int("parent-pid", 1) is { } parent) ParentWatch.Start(parent, parentGone);
        var data = JobData.Load(settings);
        output.WriteLine($"{workerId}: joining {seed} as {string.Join(",", roles)} ({data.Model}, {settings.Job.ModeName.ToUpperInvariant()})");
        var folder = RunFolder.OfJobFile(jobFile);
        using var listener = coordinator ? new ConsoleJobListener(output, folder.MetricsFile) : null;
        using var telemetry = TelemetryExport.Start(settings.Telemetry, workerId);
        var result = await ClusterNode.RunAsync(config, settings, data, roles, workerId, seed, parsed.Int("port", 0) ?? 0, cancellation, parentGone.Token,
            () => output.WriteLine($"{workerId}: a member of the cluster; running"), listener).ConfigureAwait(false);
        output.WriteLine($"{workerId}: {Describe(result.Outcome, seed, settings.Cluster.JoinTimeout)}");
        if (result.Completed is not { } completed) return (int)result.Outcome;
        // This standby took the job over and finished it: the run folder gets what the head would have written.
        output.WriteLine($"{workerId}: finished the job the head started");
        RunSession.Finish(folder, settings, data, completed, output);
        return RunCommand.Report(output, folder, completed, failOnViolation: false);
    }

    private static string Describe(NodeOutcome outcome, string seed, TimeSpan joinTimeout) => outcome switch
    {
        NodeOutcome.JobEnded => "the job is over",
        NodeOutcome.HeadLost => "no coordinator node is left; stopped",
        NodeOutcome.NotJoined => $"not a member of the cluster at {seed} after actortrain.cluster.join-timeout ({joinTimeout.TotalSeconds:0.#} s): " +
                                 "is the head running there, and with TLS, does each side trust the other's certificate? Stopped.",
        _ => "stopped",
    };
}
