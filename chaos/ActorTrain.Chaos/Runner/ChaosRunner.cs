using System.Diagnostics;
using System.Text.Json.Nodes;
using ActorTrain.Chaos.Agent;
using ActorTrain.Chaos.Processes;
using ActorTrain.Chaos.Scenarios;
using ActorTrain.Chaos.Schedule;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// Runs one scenario: prints the schedule its seed gives, gets the fault-free reference when an expectation needs it,
/// starts the job (<c>actortrain run</c>, a real process, with the injectors wired in by configuration), fires each fault
/// when its trigger is reached and undoes it after its duration, prints what the system did, then judges the run and
/// writes chaos.json. Whatever happens, no process of the job is left behind.
/// </summary>
public static class ChaosRunner
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    public static async Task<ChaosOutcome> RunAsync(Scenario scenario, ChaosOptions options, CancellationToken cancellation)
    {
        var output = options.Output;
        var schedule = FaultSchedule.Of(scenario);
        output.WriteLine($"scenario {scenario.Name}: seed {scenario.Seed}, {scenario.Topology}");
        output.WriteLine("schedule:");
        foreach (var fault in schedule) output.WriteLine($"  {fault.When,-22} {fault.Describe()}");
        if (schedule.Count == 0) output.WriteLine("  (no faults: a fault-free run)");

        var reference = scenario.Expect.NeedsReference ? await ReferenceRuns.GetAsync(scenario, options, cancellation).ConfigureAwait(false) : null;
        var work = Path.Combine(Path.GetFullPath(options.Directory), $"{scenario.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}");
        var control = new ControlDirectory(Path.Combine(work, "control"));
        control.Create();
        var jobFile = Path.Combine(work, "job.hocon");
        await File.WriteAllTextAsync(jobFile, ChaosWiring.JobFile(scenario, control.Path), cancellation).ConfigureAwait(false);

        var epochs = Actors.Settings.ActorTrainSettings.Create(Actors.Settings.JobConfig.FromText(scenario.JobHocon)).Job.Epochs;
        var clock = Stopwatch.StartNew();
        string[] arguments = ["run", jobFile, "--runs-dir", Path.Combine(work, "runs"), .. scenario.Topology.Processes ? Array.Empty<string>() : ["--in-process"]];
        var echo = new JobOutputEcho(output, options.Verbose);
        using var head = options.Launch(arguments, echo.Line);
        var agents = new AgentClient(control);
        var injector = new FaultInjector(agents, options, work);
        var names = new Dictionary<int, string> { [head.Id] = "head" };
        var watch = new RunWatch(Path.Combine(work, "runs"), control, output, pid => names.GetValueOrDefault(pid, $"pid {pid}"), () => clock.Elapsed.TotalSeconds);
        var injections = schedule.Select(f => new Injection(f)).ToList();
        var undos = new List<(double Due, Injection Injection, Func<Task<(long, string)>> Undo, IReadOnlyList<int> Pids)>();
        var timedOut = false;
        // A fault that takes longer than a tick to fire (a crash waiting for its target's restart, a damaged snapshot
        // waiting for the first one) fires on while the loop goes on ending others: a crash of a coordinator that waited
        // 10 s for it to recover kept a store outage on all that time, so it could never recover (found by the soak).
        (Injection Injection, Task<FaultInjector.Outcome> Fire, IReadOnlyList<int> Pids)? firing = null;
        void Fired(Injection injection, FaultInjector.Outcome outcome, IReadOnlyList<int> pids)
        {
            (injection.FiredAt, injection.FiredAtUpdate, injection.Detail, injection.Count) = (watch.TrainingSeconds, watch.Updates, outcome.Detail, outcome.Count);
            injection.RuleId = outcome.Rule;
            if (outcome.Fired) injection.Fired = true;
            else injection.NotFired = outcome.Detail;
            output.WriteLine($"{watch.Stamp} {(outcome.Fired ? "FAULT" : "fault did not fire:")} {injection.Fault.Describe()}: {outcome.Detail}");
            if (outcome.Undo is { } undo) undos.Add((watch.Now + injection.Fault.Spec.Duration.TotalSeconds, injection, undo, pids));
        }
        try
        {
            while (true)
            {
                await Task.Delay(Tick, cancellation).ConfigureAwait(false);
                watch.Poll();
                var job = new JobView(ProcessTable.Of(head.Id, injector.RestartedPids), agents.Agents(), watch.RunFolder);
                foreach (var p in job.Processes) names[p.Pid] = p.Name;
                injector.Saw(job);
                if (firing is { Fire.IsCompleted: true } done)
                {
                    firing = null;
                    Fired(done.Injection, await done.Fire.ConfigureAwait(false), done.Pids);
                }
                foreach (var injection in injections.Where(i => !i.Fired && i.NotFired is null && firing?.Injection != i))
                {
                    if (injection.TriggeredAt is null && Reached(injection.Fault.At, watch, epochs)) injection.TriggeredAt = watch.TrainingSeconds;
                    if (firing is not null || injection.TriggeredAt is not { } t || watch.TrainingSeconds < t + injection.Fault.Offset.TotalSeconds) continue;
                    var fire = injector.FireAsync(injection.Fault, job, cancellation);
                    if (await Task.WhenAny(fire, Task.Delay(Tick, cancellation)).ConfigureAwait(false) != fire)
                    {
                        firing = (injection, fire, job.AgentPids());
                        continue;
                    }
                    Fired(injection, await fire.ConfigureAwait(false), job.AgentPids());
                }
                foreach (var due in undos.Where(u => u.Due <= watch.Now).ToList())
                {
                    undos.Remove(due);
                    await Undo(due.Injection, due.Undo, due.Pids, agents, watch, output).ConfigureAwait(false);
                }
                if (!ProcessTable.IsAlive(head.Id) && ProcessTable.Mentioning(work).Count == 0) break;
                if (clock.Elapsed > scenario.Expect.TimeBound)
                {
                    timedOut = true;
                    output.WriteLine($"{watch.Stamp} the time bound ({scenario.Expect.TimeBound.TotalSeconds:0} s) is up: stopping the job");
                    break;
                }
            }
            if (firing is { } last) Fired(last.Injection, await last.Fire.ConfigureAwait(false), last.Pids);
            // Faults that outlast the job: undone now (a paused process must not stay stopped), counted from what agents wrote at exit.
            foreach (var (_, injection, undo, pids) in undos) await Undo(injection, undo, pids, agents, watch, output).ConfigureAwait(false);
        }
        finally
        {
            JobProcessRunner.KillAll(head.Id, work);
            injector.Dispose();
        }
        watch.Poll();
        foreach (var injection in injections.Where(i => !i.Fired && i.NotFired is null))
            injection.NotFired = injection.TriggeredAt is null ? "its trigger was never reached before the job ended" : "the job ended before its time came";
        // A fault whose effect is counted (messages hit, writes failed) fired only if it hit something.
        foreach (var injection in injections.Where(i => i.Fired && Counted(i.Fault.Kind) && i.Count == 0))
        {
            injection.Fired = false;
            injection.NotFired = $"in force, but hit nothing ({injection.Detail})";
        }

        var summary = watch.Summarized ? JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(watch.RunFolder!, "summary.json"), cancellation).ConfigureAwait(false))!.AsObject() : null;
        var verdicts = ChaosVerdicts.Judge(scenario, summary, reference, injections, clock.Elapsed.TotalSeconds, timedOut);
        var result = new ChaosOutcome(scenario.Name, verdicts, injections, work, watch.RunFolder, clock.Elapsed.TotalSeconds)
        {
            Progress = watch.Series, Events = watch.Events,
        };
        ChaosReport.Print(result, output);
        await ChaosReport.WriteAsync(result, scenario, reference, cancellation).ConfigureAwait(false);
        return result;
    }

    /// <summary>Undoes a fault; what it hit in processes that ended first is taken from what their agents wrote at exit.</summary>
    private static async Task Undo(Injection injection, Func<Task<(long, string)>> undo, IReadOnlyList<int> pids, AgentClient agents, RunWatch watch,
        TextWriter output)
    {
        var (count, detail) = await undo().ConfigureAwait(false);
        if (count == 0 && Counted(injection.Fault.Kind) && agents.CountAtExit(injection.RuleId, pids) is > 0 and var atExit)
        {
            count = atExit;
            detail += $"; {atExit} hit(s) counted by agents at their exit";
        }
        injection.EndedAt = watch.TrainingSeconds;
        injection.Count += count;
        injection.Detail += $"; {detail}";
        output.WriteLine($"{watch.Stamp} ended {injection.Fault.Describe()}: {detail}");
    }

    private static bool Counted(FaultKind kind) => FaultKinds.IsMessageFault(kind) || kind is FaultKind.StoreOutage or FaultKind.StoreSlow;

    private static bool Reached(FaultTrigger at, RunWatch watch, int epochs)
    {
        if (watch.TrainingSeconds is not { } seconds) return false;
        return at.By switch
        {
            FaultTrigger.Unit.Update => watch.Updates >= at.Value,
            FaultTrigger.Unit.Epoch => watch.TotalMicroBatches > 0 &&
                                       watch.CompletedMicroBatches >= at.Value / epochs * watch.TotalMicroBatches,
            _ => seconds >= at.Value,
        };
    }
}
