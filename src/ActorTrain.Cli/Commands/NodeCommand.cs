using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Processes;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain node --roles worker --seed akka.tcp://actortrain@host:port --config job.hocon</c>: joins a
/// running job's cluster as a worker (from this machine or another).
/// </summary>
public static class NodeCommand
{
    public const string Usage =
        "actortrain node --roles worker --seed <head address> --config <job.hocon> [--worker-id ID] [--port P] [--parent-pid PID] [--set key=value]...";

    private static readonly HashSet<string> Valued = ["roles", "seed", "config", "worker-id", "port", "parent-pid"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        var roles = parsed.Value("roles") ?? throw new UsageException($"--roles is required.\nusage: {Usage}");
        if (roles != "worker")
            throw new UsageException($"--roles {roles}: only worker nodes can join for now; the head holds the coordinator, ps and evaluator roles.");
        var seed = parsed.Value("seed") ?? throw new UsageException($"--seed is required: the head's address, e.g. akka.tcp://actortrain@127.0.0.1:4053.\nusage: {Usage}");
        var jobFile = parsed.Value("config") ?? throw new UsageException($"--config is required.\nusage: {Usage}");
        var config = JobConfig.FromFile(jobFile, parsed.Sets.Select(s => s.Replace("=", " = ", StringComparison.Ordinal)));
        var settings = ActorTrainSettings.Create(config);
        var workerId = parsed.Value("worker-id") ?? $"worker-{Environment.MachineName}-{Environment.ProcessId}";

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (parsed.Int("parent-pid", 1) is { } parent) ParentWatch.Start(parent, stop);
        var data = JobData.Load(settings);
        output.WriteLine($"{workerId}: joining {seed} ({data.Model}, {settings.Job.ModeName.ToUpperInvariant()})");
        var outcome = await WorkerNode.RunAsync(config, settings, data, workerId, seed, parsed.Int("port", 0) ?? 0, stop.Token).ConfigureAwait(false);
        output.WriteLine($"{workerId}: {Describe(outcome)}");
        return (int)outcome;
    }

    private static string Describe(WorkerNodeOutcome outcome) => outcome switch
    {
        WorkerNodeOutcome.TrainingCompleted => "training completed",
        WorkerNodeOutcome.HeadLost => "the head is gone; stopped",
        _ => "stopped",
    };
}
