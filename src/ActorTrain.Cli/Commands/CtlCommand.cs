using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain ctl runs/&lt;run-id&gt; set-mode asp|ssp:s|local-sgd:H|diloco:H</c>: changes a live multi-process run. It reaches the
/// head at the address the run wrote to its folder, over Akka.Remote, without joining the cluster; with the TLS
/// settings of the job file the run's workers load (its folder's job.hocon), so it reaches a TLS cluster too.
/// </summary>
public static class CtlCommand
{
    public const string Usage = "actortrain ctl <run folder> set-mode asp|ssp:s|local-sgd:H|diloco:H";

    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals is not [var folder, "set-mode", var mode]) throw new UsageException($"usage: {Usage}");
        var addressFile = Path.Combine(folder, RunCommand.HeadAddressFile);
        if (!File.Exists(addressFile))
            throw new UsageException($"{folder} has no {RunCommand.HeadAddressFile}: ctl reaches multi-process runs (those started without --in-process) while they run.");
        var head = (await File.ReadAllTextAsync(addressFile, cancellation).ConfigureAwait(false)).Trim();
        var argument = ModeArgument.Parse(mode);

        using var system = ClusterTransport.Create(ClusterConfig.RemoteOnly(), JobTls(folder));
        try
        {
            var reply = await system.ActorSelection($"{head}{JobHead.CoordinatorPath}")
                .Ask<object>(new ChangeMode(argument.Mode, argument.Staleness ?? 0, argument.InnerSteps ?? 0), ReplyTimeout, cancellation)
                .ConfigureAwait(false);
            switch (reply)
            {
                case ModeChanged changed:
                    output.WriteLine($"mode {changed.Description} from update {changed.AtUpdate}");
                    return 0;
                case ModeChangeRejected rejected:
                    output.WriteLine($"not changed: {rejected.Reason}");
                    return 2;
                default:
                    output.WriteLine($"unexpected reply {reply}");
                    return 1;
            }
        }
        catch (AskTimeoutException)
        {
            output.WriteLine($"the head at {head} did not answer within {ReplyTimeout.TotalSeconds:0} s: has the run ended?");
            return 1;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static TlsSettings JobTls(string folder)
    {
        var jobFile = Path.Combine(folder, RunCommand.JobFile);
        return File.Exists(jobFile) ? ActorTrainSettings.Create(JobConfig.FromFile(jobFile)).Cluster.Tls : TlsSettings.Off;
    }
}
