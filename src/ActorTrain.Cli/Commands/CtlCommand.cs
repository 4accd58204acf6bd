using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain ctl runs/&lt;run-id&gt; set-mode asp|bsp|ssp:s|local-sgd:H|diloco:H</c>: changes a live multi-process run. It
/// reaches the head at the address the run wrote to its folder, over Akka.Remote, without joining the cluster; with the
/// TLS settings of the job file the run's workers load (its folder's job.hocon), so it reaches a TLS cluster too. A
/// switch to or from BSP is answered at once as pending (it waits for a step boundary); the command then waits for it
/// to be in force, up to <see cref="SwitchTimeout"/>.
/// </summary>
public static class CtlCommand
{
    public const string Usage = "actortrain ctl <run folder> set-mode asp|bsp|ssp:s|local-sgd:H|diloco:H";

    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a pending switch may take to reach its boundary and drain: the micro-batches out when it was asked.</summary>
    private static readonly TimeSpan SwitchTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals is not [var folder, "set-mode", var mode]) throw new UsageException($"usage: {Usage}");
        var addressFile = Path.Combine(folder, RunCommand.HeadAddressFile);
        if (!File.Exists(addressFile))
            throw new UsageException($"{folder} has no {RunCommand.HeadAddressFile}: ctl reaches multi-process runs (those started without --in-process) while they run.");
        var head = (await File.ReadAllTextAsync(addressFile, cancellation).ConfigureAwait(false)).Trim();
        var argument = ModeArgument.Parse(mode);

        var noAnswer = $"the head at {head} did not answer within {ReplyTimeout.TotalSeconds:0} s: has the run ended?";
        using var system = ClusterTransport.Create(ClusterConfig.RemoteOnly(), JobTls(folder));
        try
        {
            var coordinator = await system.ActorSelection($"{head}{JobHead.CoordinatorPath}").ResolveOne(ReplyTimeout, cancellation).ConfigureAwait(false);
            using var inbox = Inbox.Create(system);
            inbox.Send(coordinator, new ChangeMode(argument.Mode, argument.Staleness ?? 0, argument.InnerSteps ?? 0));
            var reply = await NextReply(inbox, ReplyTimeout).ConfigureAwait(false);
            if (reply is ModeChangePending pending)
            {
                output.WriteLine($"switch to {pending.Mode} accepted; it takes effect at a step boundary ({pending.Reason}); waiting for it");
                reply = await NextReply(inbox, SwitchTimeout).ConfigureAwait(false);
                if (reply is null)
                {
                    output.WriteLine($"the switch was not in force within {SwitchTimeout.TotalMinutes:0} min; the run still takes it at the boundary (its output says when)");
                    return 1;
                }
            }
            switch (reply)
            {
                case null:
                    output.WriteLine(noAnswer);
                    return 1;
                case ModeChanged { Mode: "bsp" } changed:
                    output.WriteLine($"mode bsp from update {changed.AtUpdate}: steps from version {changed.StartVersion} (plan step {changed.FromStep})");
                    return 0;
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
        catch (ActorNotFoundException)
        {
            output.WriteLine(noAnswer);
            return 1;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>The next message the inbox gets within <paramref name="timeout"/>, or null.</summary>
    private static async Task<object?> NextReply(Inbox inbox, TimeSpan timeout)
    {
        try
        {
            var message = await inbox.ReceiveAsync(timeout).ConfigureAwait(false);
            return message is Status.Failure ? null : message;
        }
        catch (Exception e) when (e is TimeoutException or AskTimeoutException)
        {
            return null;
        }
    }

    private static TlsSettings JobTls(string folder)
    {
        var jobFile = Path.Combine(folder, RunCommand.JobFile);
        return File.Exists(jobFile) ? ActorTrainSettings.Create(JobConfig.FromFile(jobFile)).Cluster.Tls : TlsSettings.Off;
    }
}
