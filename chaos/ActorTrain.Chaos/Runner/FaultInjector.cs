using ActorTrain.Chaos.Agent;
using ActorTrain.Chaos.Processes;
using ActorTrain.Chaos.Scenarios;
using ActorTrain.Chaos.Schedule;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// Fires scheduled faults: signals to processes (kill, pause, slow, restart), commands to the agents in them (crash an
/// actor, message faults, partitions, store faults), and damage to a stored snapshot. Each returns whether it fired, what
/// it did, and how to undo it when it lasts for a duration.
/// </summary>
public sealed class FaultInjector(AgentClient agents, ChaosOptions options, string workFolder)
{
    /// <summary>The command line each node was last seen with, by name: a node that is gone (killed, downed) is started again with it.</summary>
    private readonly Dictionary<string, IReadOnlyList<string>> _seen = [];

    private readonly List<System.Diagnostics.Process> _restarted = [];

    /// <summary>How long a corrupt-snapshot waits for its shard's first stored snapshot.</summary>
    private static readonly TimeSpan FirstSnapshotWait = TimeSpan.FromSeconds(15);

    public IEnumerable<int> RestartedPids => _restarted.Where(p => !p.HasExited).Select(p => p.Id);

    /// <param name="Rule">The message rule (or the store's) the agents count hits under, for faults still in force when the job ends.</param>
    public sealed record Outcome(bool Fired, string Detail, long Count = 0, Func<Task<(long Count, string Detail)>>? Undo = null, int Rule = 0);

    /// <summary>Remembers the nodes' command lines (call on every look at the job), for restarts.</summary>
    public void Saw(JobView job)
    {
        foreach (var p in job.Processes.Where(p => p.Name != "head")) _seen[p.Name] = p.CommandLine;
    }

    public async Task<Outcome> FireAsync(ScheduledFault fault, JobView job, CancellationToken cancellation)
    {
        var spec = fault.Spec;
        switch (fault.Kind)
        {
            case FaultKind.KillProcess:
                return Kill(fault.Target, job);
            case FaultKind.Restart:
                return Restart(fault.Target, job);
            case FaultKind.PauseProcess:
                return Pause(fault.Target, job, spec.Duration);
            case FaultKind.SlowProcess:
                return Slow(fault.Target, job, spec.Duration, spec.Factor, cancellation);
            case FaultKind.CrashActor:
                return await CrashAsync(fault.Target, job, cancellation).ConfigureAwait(false);
            case FaultKind.Partition:
                return await PartitionAsync(spec.Sides[0], spec.Sides[1], job, cancellation).ConfigureAwait(false);
            case FaultKind.Isolate:
                return await PartitionAsync([fault.Target], [.. job.Processes.Select(p => p.Name).Where(n => n != fault.Target)], job, cancellation)
                    .ConfigureAwait(false);
            case FaultKind.StoreOutage or FaultKind.StoreSlow:
                return await StoreAsync(fault, job, cancellation).ConfigureAwait(false);
            case FaultKind.CorruptSnapshot:
                return await CorruptSnapshotAsync(fault.Target, job, cancellation).ConfigureAwait(false);
            case var kind when FaultKinds.IsMessageFault(kind):
                return await MessageFaultAsync(fault, job, cancellation).ConfigureAwait(false);
            default:
                return new Outcome(false, $"{fault.Kind} is not injected directly");
        }
    }

    private Outcome Kill(string name, JobView job)
    {
        if (job.Process(name) is not { } process) return new Outcome(false, $"no live process {name}");
        return Signals.Send(process.Pid, Signals.Kill) ? new Outcome(true, $"SIGKILL {name} (pid {process.Pid})", 1) : new Outcome(false, $"{name} was gone");
    }

    private Outcome Restart(string name, JobView job)
    {
        if (job.Process(name) is { } live) return new Outcome(false, $"{name} is still running (pid {live.Pid}): nothing to start again");
        if (!_seen.TryGetValue(name, out var line)) return new Outcome(false, $"{name} was never seen, so it cannot be started again");
        var arguments = line.SkipWhile(a => a != "node").ToList();
        var process = options.Launch(arguments, l =>
        {
            if (options.Verbose) options.Output.WriteLine($"  | {name}: {l}");
        });
        _restarted.Add(process);
        return new Outcome(true, $"started {name} again (pid {process.Id})", 1);
    }

    private static Outcome Pause(string name, JobView job, TimeSpan duration)
    {
        if (job.Process(name) is not { } process || !Signals.Send(process.Pid, Signals.Stop)) return new Outcome(false, $"no live process {name}");
        return new Outcome(true, $"SIGSTOP {name} (pid {process.Pid})", 1, () =>
            Task.FromResult((1L, Signals.Send(process.Pid, Signals.Continue) ? $"SIGCONT {name}" : $"{name} is gone")));
    }

    /// <summary>A duty cycle of 200 ms: running 1/factor of it, stopped for the rest.</summary>
    private static Outcome Slow(string name, JobView job, TimeSpan duration, double factor, CancellationToken cancellation)
    {
        if (job.Process(name) is not { } process) return new Outcome(false, $"no live process {name}");
        var period = TimeSpan.FromMilliseconds(200);
        var cycles = 0L;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var loop = Task.Run(async () =>
        {
            var end = DateTime.UtcNow + duration;
            while (DateTime.UtcNow < end && !cancellation.IsCancellationRequested && Signals.Send(process.Pid, Signals.Stop))
            {
                cycles++;
                await Task.Delay(period * (1 - 1 / factor), CancellationToken.None).ConfigureAwait(false);
                Signals.Send(process.Pid, Signals.Continue);
                await Task.Delay(period / factor, CancellationToken.None).ConfigureAwait(false);
            }
            Signals.Send(process.Pid, Signals.Continue);
        }, CancellationToken.None);
        return new Outcome(true, $"slowing {name} (pid {process.Pid}) {factor:0.#}x", 1, async () =>
        {
            await loop.ConfigureAwait(false);
            return (cycles, $"{name} back to full speed after {cycles} stop/continue cycles");
        });
    }

    /// <summary>
    /// Kills the target actor wherever it lives. One that is not there may be between a crash and its supervisor's
    /// restart (a backoff of up to a few seconds): asked again until <see cref="CrashTargetWait"/> is up (found by the soak:
    /// a second crash-actor of a shard that an earlier fault had just crashed failed as "no process hosts shard-0").
    /// </summary>
    private async Task<Outcome> CrashAsync(string target, JobView job, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + CrashTargetWait;
        while (true)
        {
            var answers = await agents.SendAsync(new AgentCommand(agents.NextId(), "crash-actor") { Target = target }, job.AgentPids(), cancellation).ConfigureAwait(false);
            if (answers.FirstOrDefault(a => a.Done) is { } done) return new Outcome(true, $"{done.Detail} in pid {done.Pid}", 1);
            if (DateTime.UtcNow > deadline || job.AgentPids().All(p => !ProcessTable.IsAlive(p)))
                return new Outcome(false, $"no process hosts {target} (asked for {CrashTargetWait.TotalSeconds:0} s): {string.Join("; ", answers.Select(a => a.Detail))}");
            await Task.Delay(250, cancellation).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan CrashTargetWait = TimeSpan.FromSeconds(10);

    private async Task<Outcome> PartitionAsync(IReadOnlyList<string> a, IReadOnlyList<string> b, JobView job, CancellationToken cancellation)
    {
        var sideA = job.Processes.Where(p => a.Contains(p.Name) && job.Agents.ContainsKey(p.Pid)).ToList();
        var sideB = job.Processes.Where(p => b.Contains(p.Name) && job.Agents.ContainsKey(p.Pid)).ToList();
        if (sideA.Count == 0 || sideB.Count == 0) return new Outcome(false, $"a side has no live process: [{string.Join(", ", a)}] | [{string.Join(", ", b)}]");
        async Task<int> Throttle(string op)
        {
            var n = 0;
            foreach (var (from, to) in new[] { (sideA, sideB), (sideB, sideA) })
            {
                var command = new AgentCommand(agents.NextId(), op) { Addresses = [.. to.Select(p => job.Agents[p.Pid])] };
                n += (await agents.SendAsync(command, [.. from.Select(p => p.Pid)], cancellation).ConfigureAwait(false)).Count(r => r.Done);
            }
            return n;
        }
        var blackholed = await Throttle("blackhole").ConfigureAwait(false);
        var names = $"[{string.Join(", ", sideA.Select(p => p.Name))}] | [{string.Join(", ", sideB.Select(p => p.Name))}]";
        return new Outcome(blackholed > 0, $"partitioned {names} ({blackholed} of {sideA.Count + sideB.Count} nodes cut off the other side)", blackholed,
            async () => ((long)await Throttle("heal").ConfigureAwait(false), $"healed {names}"));
    }

    private async Task<Outcome> StoreAsync(ScheduledFault fault, JobView job, CancellationToken cancellation)
    {
        var outage = fault.Kind == FaultKind.StoreOutage;
        var pids = job.AgentPids();
        var on = new AgentCommand(agents.NextId(), "store") { Outage = outage, LatencyMs = outage ? 0 : fault.Spec.Latency.TotalMilliseconds };
        var answers = await agents.SendAsync(on, pids, cancellation).ConfigureAwait(false);
        return new Outcome(answers.Count > 0, $"{fault.Spec.Name} in {answers.Count} process(es)", 0, async () =>
        {
            var off = await agents.SendAsync(new AgentCommand(agents.NextId(), "store"), pids, cancellation).ConfigureAwait(false);
            var count = off.Sum(r => r.Count);
            return (count, $"store back to normal: {count} {(outage ? "write(s) or read(s) failed" : "write(s) slowed")} meanwhile");
        }, AgentResult.StoreRule);
    }

    private async Task<Outcome> MessageFaultAsync(ScheduledFault fault, JobView job, CancellationToken cancellation)
    {
        var spec = fault.Spec;
        var rule = agents.NextId();
        var sent = 0;
        var installs = new List<(AgentCommand Command, IReadOnlyList<int> Pids)>();
        AgentCommand Rule(string? peer) => new(agents.NextId(), "add-message-fault")
        {
            Rule = rule, Kind = spec.Name, Probability = spec.Probability, Messages = [.. spec.Messages], Peer = peer,
            DelayMs = spec.Delay.TotalMilliseconds, RandomDelay = spec.RandomDelay, Seed = fault.Seed,
        };
        if (spec.Between.Count == 2)
        {
            // Each end hits what arrives from the other.
            foreach (var (here, there) in new[] { (spec.Between[0], spec.Between[1]), (spec.Between[1], spec.Between[0]) })
                if (job.Process(here) is { } h && job.Process(there) is { } t && job.Agents.TryGetValue(t.Pid, out var peer) && job.Agents.ContainsKey(h.Pid))
                    installs.Add((Rule(peer), [h.Pid]));
        }
        else installs.Add((Rule(null), job.AgentPids()));
        var pids = installs.SelectMany(i => i.Pids).Distinct().ToList();
        foreach (var (command, targets) in installs)
            sent += (await agents.SendAsync(command, [.. targets], cancellation).ConfigureAwait(false)).Count(r => r.Done);
        if (sent == 0) return new Outcome(false, $"no agent took the {spec.Name} fault");
        return new Outcome(true, $"{spec.Name} on in {sent} process(es)", 0, async () =>
        {
            var answers = await agents.SendAsync(new AgentCommand(agents.NextId(), "remove-message-fault") { Rule = rule }, pids, cancellation).ConfigureAwait(false);
            var hit = answers.Sum(r => r.Count);
            return (hit, $"{spec.Name} off: {string.Join("; ", answers.Select(a => a.Detail))}");
        }, rule);
    }

    /// <summary>
    /// Crashes the shard, then damages its newest snapshot before its supervisor starts it again (at least 100 ms later), so
    /// the new instance meets the damage when it loads, with no newer snapshot written in between. A shard whose first
    /// snapshot is not stored yet (a slow store) is waited for, up to <see cref="FirstSnapshotWait"/>.
    /// </summary>
    private async Task<Outcome> CorruptSnapshotAsync(string shard, JobView job, CancellationToken cancellation)
    {
        if (job.RunFolder is null) return new Outcome(false, "the run folder is not there yet");
        var shardId = int.Parse(shard[6..], System.Globalization.CultureInfo.InvariantCulture);
        var waitUntil = DateTime.UtcNow + FirstSnapshotWait;
        while (!await SnapshotDamage.HasSnapshotAsync(job.RunFolder, shardId, cancellation).ConfigureAwait(false))
        {
            if (DateTime.UtcNow > waitUntil) return new Outcome(false, $"{shard} had no stored snapshot within {FirstSnapshotWait.TotalSeconds:0} s");
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation).ConfigureAwait(false);
        }
        var crash = await CrashAsync(shard, job, cancellation).ConfigureAwait(false);
        if (!crash.Fired) return new Outcome(false, $"{shard} could not be crashed: {crash.Detail}");
        var damaged = await SnapshotDamage.DamageNewestAsync(job.RunFolder, shardId, cancellation).ConfigureAwait(false);
        return damaged is null ? new Outcome(false, $"{shard} has no stored snapshot yet") : new Outcome(true, $"{crash.Detail}; damaged {damaged}", 1);
    }

    public void Dispose()
    {
        foreach (var p in _restarted)
        {
            if (!p.HasExited) JobProcessRunner.KillAll(p.Id, workFolder);
            p.Dispose();
        }
    }
}
