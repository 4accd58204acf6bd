using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Processes;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain node --roles worker|ps|worker,ps --seed akka.tcp://actortrain@host:port --config job.hocon</c>: joins a
/// running job's cluster (from this machine or another) as a worker, a ps node hosting parameter shards, or both.
/// </summary>
public static class NodeCommand
{
    public const string Usage =
        "actortrain node --roles worker|ps --seed <head address> --config <job.hocon> [--worker-id ID] [--port P] [--parent-pid PID] [--set key=value]...";

    private static readonly HashSet<string> Valued = ["roles", "seed", "config", "worker-id", "port", "parent-pid"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        var rolesText = parsed.Value("roles") ?? throw new UsageException($"--roles is required.\nusage: {Usage}");
        var roles = rolesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (roles.Count == 0 || roles.FirstOrDefault(r => !ClusterNode.JoinableRoles.Contains(r)) is { } unknown && unknown != null)
            throw new UsageException($"--roles {rolesText}: a joining node takes worker and/or ps (comma-separated); " +
                                     "the coordinator and evaluator run on the head (`actortrain run`).");
        var seed = parsed.Value("seed") ?? throw new UsageException($"--seed is required: the head's address, e.g. akka.tcp://actortrain@127.0.0.1:4053.\nusage: {Usage}");
        var jobFile = parsed.Value("config") ?? throw new UsageException($"--config is required.\nusage: {Usage}");
        var config = JobConfig.FromFile(jobFile, parsed.Sets.Select(s => s.Replace("=", " = ", StringComparison.Ordinal)));
        var settings = ActorTrainSettings.Create(config);
        // Only ps nodes persist (shard snapshots); `run` pins the store in job.hocon, and state.db otherwise sits beside it.
        if (roles.Contains(ShardEntities.Role))
            config = PersistenceConfig.Under(config, settings.Persistence, Path.GetDirectoryName(Path.GetFullPath(jobFile)) ?? ".");
        var workerId = parsed.Value("worker-id") ?? $"worker-{Environment.MachineName}-{Environment.ProcessId}";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (parsed.Int("parent-pid", 1) is { } parent) ParentWatch.Start(parent, stop);
        var data = JobData.Load(settings);
        output.WriteLine($"{workerId}: joining {seed} as {string.Join(",", roles)} ({data.Model}, {settings.Job.Mode.ToString().ToUpperInvariant()})");
        var outcome = await ClusterNode.RunAsync(config, settings, data, roles, workerId, seed, parsed.Int("port", 0) ?? 0, stop.Token,
            () => output.WriteLine($"{workerId}: a member of the cluster; running")).ConfigureAwait(false);
        output.WriteLine($"{workerId}: {Describe(outcome, seed, settings.Cluster.JoinTimeout)}");
        return (int)outcome;
    }

    private static string Describe(NodeOutcome outcome, string seed, TimeSpan joinTimeout) => outcome switch
    {
        NodeOutcome.JobEnded => "the job is over",
        NodeOutcome.HeadLost => "the head is gone; stopped",
        NodeOutcome.NotJoined => $"not a member of the cluster at {seed} after actortrain.cluster.join-timeout ({joinTimeout.TotalSeconds:0.#} s): " +
                                 "is the head running there, and with TLS, does each side trust the other's certificate? Stopped.",
        _ => "stopped",
    };
}
