using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using Akka.Actor;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain ctl runs/&lt;run-id&gt; status|set-lr R|scale-lr F|checkpoint|pause|continue|stop|set-mode M</c>: reads or
/// changes a live multi-process run (the coordinator's <see cref="ControlRun"/>, and <see cref="ChangeMode"/>). It
/// reaches the head at the address the run wrote to its folder, over Akka.Remote, without joining the cluster; with the
/// TLS settings of the job file the run's workers load (its folder's job.hocon), so it reaches a TLS cluster too. A
/// switch to or from BSP is answered at once as pending (it waits for a step boundary); the command then waits for it
/// to be in force, up to <see cref="SwitchTimeout"/>.
/// </summary>
public static class CtlCommand
{
    public const string Usage = "actortrain ctl <run folder> status|set-lr <rate>|scale-lr <factor>|checkpoint|pause|continue|stop|set-mode <mode>";

    /// <summary>How long a checkpoint (ctl checkpoint, ctl stop) may take to be complete: the micro-batches out, then the shards' snapshots.</summary>
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a pending switch may take to reach its boundary and drain: the micro-batches out when it was asked.</summary>
    private static readonly TimeSpan SwitchTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals.Count < 2) throw new UsageException($"usage: {Usage}");
        var (folder, verb, rest) = (parsed.Positionals[0], parsed.Positionals[1], parsed.Positionals.Skip(2).ToArray());
        var control = Request(verb, rest);
        if (!Directory.Exists(folder)) throw new UsageException($"{folder} is not a run folder: it does not exist.");
        if (File.Exists(Path.Combine(folder, RunFolder.SummaryFileName)))
            throw new UsageException($"{folder} has finished (its {RunFolder.SummaryFileName} is written): there is no live run to control.");
        var addressFile = Path.Combine(folder, RunCommand.HeadAddressFile);
        if (!File.Exists(addressFile))
            throw new UsageException($"{folder} has no {RunCommand.HeadAddressFile}: ctl reaches multi-process runs (those started without --in-process) while they run.");
        var head = (await File.ReadAllTextAsync(addressFile, cancellation).ConfigureAwait(false)).Trim();
        if (control is not null) return await Control(folder, head, control, output, cancellation).ConfigureAwait(false);
        var argument = ModeArgument.Parse(rest[0]);

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

    /// <summary>The request for <paramref name="verb"/>, null for set-mode; a usage error for anything else.</summary>
    private static ControlRun? Request(string verb, IReadOnlyList<string> rest)
    {
        switch (verb)
        {
            case "set-mode":
                if (rest.Count != 1) throw new UsageException($"set-mode takes one mode (asp, bsp, ssp:s, local-sgd:H, diloco:H).\nusage: {Usage}");
                return null;
            case "set-lr" or "scale-lr":
                var what = verb == "set-lr" ? "rate" : "factor";
                if (rest.Count != 1) throw new UsageException($"{verb} takes one {what}.\nusage: {Usage}");
                if (!double.TryParse(rest[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    || !double.IsFinite(value) || value <= 0)
                    throw new UsageException($"{verb} {rest[0]}: expected a number above 0 (the {what}).");
                return new ControlRun(verb, value);
            default:
                if (!ControlRun.Verbs.Contains(verb))
                    throw new UsageException($"unknown ctl verb '{verb}'; expected status, set-lr, scale-lr, checkpoint, pause, continue, stop or set-mode.\nusage: {Usage}");
                if (rest.Count != 0) throw new UsageException($"{verb} takes no argument.\nusage: {Usage}");
                return new ControlRun(verb);
        }
    }

    /// <summary>Sends <paramref name="request"/> to the run's coordinator and prints its answers until the last.</summary>
    private static async Task<int> Control(string folder, string head, ControlRun request, TextWriter output, CancellationToken cancellation)
    {
        var noAnswer = $"the head at {head} did not answer within {ReplyTimeout.TotalSeconds:0} s: has the run ended?";
        using var system = ClusterTransport.Create(ClusterConfig.RemoteOnly(), JobTls(folder));
        try
        {
            var coordinator = await system.ActorSelection($"{head}{JobHead.CoordinatorPath}").ResolveOne(ReplyTimeout, cancellation).ConfigureAwait(false);
            using var inbox = Inbox.Create(system);
            inbox.Send(coordinator, request);
            var wait = ReplyTimeout;
            while (true)
            {
                if (await NextReply(inbox, wait).ConfigureAwait(false) is not ControlAnswered answer)
                {
                    output.WriteLine(wait == ReplyTimeout ? noAnswer
                        : $"no word within {ControlTimeout.TotalMinutes:0} min; the run's output says what became of it");
                    return 1;
                }
                output.WriteLine(answer.Text.Replace("<run>", folder, StringComparison.Ordinal));
                if (answer.Done) return answer.ExitCode;
                wait = ControlTimeout;
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
