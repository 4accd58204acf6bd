using System.Globalization;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Settings;
using ActorTrain.Chaos.Runner;
using ActorTrain.Chaos.Scenarios;
using ActorTrain.Cli.Processes;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench recovery</c>: one multi-process run of the job per fault kind (a worker killed, a ps node killed, the
/// head killed with a standby, a worker partitioned away, the head paused), each fault injected by the chaos runner at
/// 30% of training; per row the time from the fault to its detection (the first warning that names it), the time until
/// throughput (1 s windows of committed micro-batches) is back at ≥ 90% of the 5 s before, and the work redone. Then the
/// goodput row: the time to a validation accuracy under a kill-loop against the same job without faults, in the same run.
/// </summary>
public static class RecoveryBench
{
    private const double FaultAt = 0.3;
    private const double BackAt = 0.9;

    private sealed record Row(string Name, string Topology, string Fault, string Detects);

    private static readonly Row[] Rows =
    [
        new("kill worker", "workers = 2", "{ kind = kill-process, target = worker-1, AT }, { kind = restart, target = worker-1, AT, after = 3s }", "unreachable"),
        new("kill ps", "workers = 2, ps-nodes = 2", "{ kind = kill-process, target = ps-1, AT }, { kind = restart, target = ps-1, AT, after = 3s }", "recovered at version"),
        new("kill head, standby", "workers = 2, ps-nodes = 2, standby-coordinators = 1", "{ kind = kill-process, target = head, AT }", "coordinator recovered"),
        new("partition a worker 10 s", "workers = 2", "{ kind = isolate, target = worker-1, AT, duration = 10s }", "unreachable"),
        new("pause head 15 s, standby", "workers = 2, ps-nodes = 2, standby-coordinators = 1", "{ kind = pause-process, target = head, AT, duration = 15s }", "coordinator recovered"),
    ];

    public static async Task RunAsync(string jobFile, int epochs, double target, IReadOnlyList<string> sets, TextWriter output, CancellationToken cancellation)
    {
        var directory = Directory.CreateTempSubdirectory("actortrain-bench-recovery-").FullName;
        var options = new ChaosOptions(directory, TextWriter.Null, SelfCommand.Start) { Verbose = false };
        var job = Path.GetFullPath(jobFile);
        var settings = ActorTrainSettings.Create(JobConfig.FromFile(job, sets));
        output.WriteLine($"recovery: {jobFile}, {epochs} epoch(s), multi-process, failure detection {settings.Cluster.FailureDetection}; " +
                         $"each row one run, its fault injected by the chaos runner at {FaultAt:P0} of training");
        output.WriteLine($"  {"fault",-26} {"detected",9} {"back ≥ 90%",11} {"re-issued",10} {"repeats",8} {"before",14}");
        foreach (var row in Rows)
        {
            var at = $"at-epoch = {(FaultAt * epochs).ToString("0.###", CultureInfo.InvariantCulture)}";
            var outcome = await RunAsync(Scenario(directory, job, epochs, sets, row.Name, row.Topology, $"faults = [{row.Fault.Replace("AT", at, StringComparison.Ordinal)}]"),
                options, cancellation).ConfigureAwait(false);
            output.WriteLine($"  {row.Name,-26} {Figures(outcome, row.Detects)}");
        }
        var goodput = "{ kind = kill-loop, mtbf = 5s, for = 30m, restart-after = 2s, at-update = 1 }";
        var clean = await RunAsync(Scenario(directory, job, epochs, sets, "fault-free", "workers = 3", "faults = []"), options, cancellation).ConfigureAwait(false);
        var loop = await RunAsync(Scenario(directory, job, epochs, sets, "kill-loop", "workers = 3", $"faults = [{goodput}]"), options, cancellation).ConfigureAwait(false);
        var (cleanTime, loopTime) = (TimeToAccuracy(clean, target), TimeToAccuracy(loop, target));
        var kills = loop.Injections.Count(i => i.Fired && i.Fault.Kind == FaultKind.KillProcess);
        output.WriteLine($"goodput: time to validation accuracy {target:0.00}: fault-free (3 workers) {Seconds(cleanTime)}, kill-loop (3 workers, " +
                         $"one killed about every 5 s and back 2 s later; {kills} kill(s)) {Seconds(loopTime)}" +
                         (cleanTime is { } c && loopTime is { } l ? $": goodput {c / l:0.00} of fault-free" : ""));
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<ChaosOutcome> RunAsync(Scenario scenario, ChaosOptions options, CancellationToken cancellation) =>
        await ChaosRunner.RunAsync(scenario, options, cancellation).ConfigureAwait(false);

    /// <summary>Written to a file in the bench's folder and read back, so its <c>include</c> of the job is resolved like any scenario's.</summary>
    private static Scenario Scenario(string directory, string job, int epochs, IReadOnlyList<string> sets, string name, string topology, string faults)
    {
        var path = Path.Combine(directory, $"{name.Replace(' ', '-').Replace(",", "", StringComparison.Ordinal)}.hocon");
        File.WriteAllText(path, $$"""
            include "{{job}}"
            actortrain.job.epochs = {{epochs}}
            actortrain.evaluator.every-updates = 250
            {{string.Join("\n", sets)}}
            chaos {
              name = {{name.Replace(' ', '-').Replace(",", "", StringComparison.Ordinal)}}
              topology { processes = on, {{topology}} }
              {{faults}}
              expect { invariants = [1, 2], time-bound = 20m }
            }
            """);
        return ScenarioReader.FromFile(path);
    }

    private static string Figures(ChaosOutcome outcome, string detects)
    {
        var fault = outcome.Injections.FirstOrDefault(i => i.Fired);
        if (fault?.FiredAt is not { } at) return "the fault did not fire: " + outcome.Injections.FirstOrDefault()?.NotFired;
        var detected = outcome.Events.FirstOrDefault(e => e.At >= at && e.Message.Contains(detects, StringComparison.Ordinal)).At;
        var before = Rate(outcome, at - 5, at);
        var back = BackAfter(outcome, at, before);
        var summary = outcome.RunFolder is { } f && File.Exists(Path.Combine(f, "summary.json")) ? JsonNode.Parse(File.ReadAllText(Path.Combine(f, "summary.json"))) : null;
        var repeats = outcome.Events.Count(e => e.Message.Contains("ignored completion", StringComparison.Ordinal));
        return $"{(detected >= at ? Seconds(detected - at) : "-"),9} {(back is { } b ? Seconds(b) : "never"),11} {summary?["reissued_micro_batches"]?.ToString() ?? "-",10} " +
               $"{repeats,8} {before * 32,9:0} samples/s (micro-batches of the job x 32)";
    }

    /// <summary>Micro-batches committed per second between two times, from the progress reports.</summary>
    private static double Rate(ChaosOutcome outcome, double from, double to)
    {
        var inside = outcome.Progress.Where(p => p.At >= from && p.At <= to).ToList();
        return inside.Count < 2 || inside[^1].At <= inside[0].At ? 0 : (inside[^1].MicroBatches - inside[0].MicroBatches) / (inside[^1].At - inside[0].At);
    }

    /// <summary>
    /// From the fault, the time until a 1 s window's rate is back at ≥ 90% of before, after the first window below it;
    /// 0 when throughput never dipped (the run kept its pace through the fault).
    /// </summary>
    private static double? BackAfter(ChaosOutcome outcome, double at, double before)
    {
        var dipped = false;
        foreach (var (t, _, _) in outcome.Progress.Where(p => p.At >= at + 1))
        {
            var rate = Rate(outcome, t - 1, t);
            if (rate < BackAt * before) dipped = true;
            else if (dipped) return t - at;
            else if (t > at + 10) return 0;
        }
        return null;
    }

    private static double? TimeToAccuracy(ChaosOutcome outcome, double target)
    {
        if (outcome.RunFolder is not { } folder) return null;
        foreach (var line in File.ReadLines(Path.Combine(folder, "metrics.jsonl")))
        {
            var node = JsonNode.Parse(line)!;
            if ((string?)node["type"] != "evaluation" || ((double?)node["validation_accuracy"] ?? 0) < target) continue;
            var updates = (long)node["updates"]!;
            return outcome.Progress.FirstOrDefault(p => p.Updates >= updates).At;
        }
        return null;
    }

    private static string Seconds(double? s) => s is { } v ? $"{v.ToString("0.0", CultureInfo.InvariantCulture)} s" : "not reached";
}
