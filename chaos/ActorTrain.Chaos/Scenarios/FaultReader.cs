namespace ActorTrain.Chaos.Scenarios;

/// <summary>One fault of a scenario's <c>chaos.faults</c> list: its kind, trigger, target and the keys its kind takes.</summary>
internal static class FaultReader
{
    private static readonly string[] ActorTargets = ["coordinator", "evaluator"];

    public static FaultSpec Read(ScenarioSection f, Topology topology)
    {
        var kindName = f.String("kind", "");
        if (!FaultKinds.TryParse(kindName, out var kind)) throw f.Bad("kind", kindName == "" ? "(missing)" : kindName, $"one of {string.Join(", ", FaultKinds.Names)}");
        var spec = new FaultSpec(kind, Trigger(f)) { After = f.Duration("after", TimeSpan.Zero) };
        if (FaultKinds.NeedsProcesses(kind) && !topology.Processes)
            throw f.Bad("kind", kindName, "a fault that one process can take (crash-actor, message and store faults): this topology has processes = off");

        if (FaultKinds.HasDuration(kind)) spec = spec with { Duration = f.Duration("duration", TimeSpan.FromSeconds(5)) };
        switch (kind)
        {
            case FaultKind.KillProcess or FaultKind.Restart or FaultKind.PauseProcess or FaultKind.SlowProcess or FaultKind.Isolate:
                spec = spec with { Target = ProcessTarget(f, topology) };
                if (kind == FaultKind.SlowProcess) spec = spec with { Factor = f.Double("factor", 4, 1, 100) };
                break;
            case FaultKind.CrashActor:
                spec = spec with { Target = ActorTarget(f, topology) };
                break;
            case FaultKind.CorruptSnapshot:
                spec = spec with { Target = f.String("target", "shard-0") };
                if (!IsShard(spec.Target)) throw f.Bad("target", spec.Target, "shard-N");
                break;
            case FaultKind.Partition:
                var sides = f.Array("sides").Select(s => (IReadOnlyList<string>)[.. s.IsArray() ? s.GetArray().Select(v => v.GetString()) : [s.GetString()]]).ToList();
                if (sides.Count != 2 || sides.Any(s => s.Count == 0)) throw f.Bad("sides", $"{sides.Count} side(s)", "two non-empty lists of process names, e.g. [[worker-1], [head, worker-2]]");
                foreach (var name in sides.SelectMany(s => s)) CheckProcess(f, "sides", name, topology);
                spec = spec with { Sides = sides };
                break;
            case FaultKind.KillLoop:
                spec = spec with
                {
                    MeanTimeBetweenFailures = f.Duration("mtbf", TimeSpan.FromSeconds(5)), For = f.Duration("for", TimeSpan.FromMinutes(1)),
                    IncludePs = f.Bool("include-ps", false), RestartAfter = f.Duration("restart-after", TimeSpan.FromSeconds(2)),
                };
                if (spec.MeanTimeBetweenFailures <= TimeSpan.Zero) throw f.Bad("mtbf", "0", "a duration above 0");
                break;
            case FaultKind.StoreSlow:
                spec = spec with { Latency = f.Duration("latency", TimeSpan.FromMilliseconds(500)) };
                break;
        }
        if (FaultKinds.IsMessageFault(kind))
        {
            spec = spec with { Probability = f.Double("probability", 0.1, 0, 1), Messages = f.Strings("messages"), Between = f.Strings("between") };
            foreach (var type in spec.Messages)
                if (!MessageTypes.IsKnown(type)) throw f.Bad("messages", type, $"ActorTrain message names such as {string.Join(", ", MessageTypes.Examples)}");
            if (spec.Between.Count is not (0 or 2)) throw f.Bad("between", $"[{string.Join(", ", spec.Between)}]", "two process names, or nothing for all traffic");
            foreach (var name in spec.Between) CheckProcess(f, "between", name, topology);
            if (kind == FaultKind.Delay) spec = spec with { Delay = f.Duration("delay", TimeSpan.FromMilliseconds(200)), RandomDelay = f.Bool("random-delay", false) };
        }
        f.RefuseUnknown();
        return spec;
    }

    private static FaultTrigger Trigger(ScenarioSection f)
    {
        var given = new[] { "at-update", "at-epoch", "at-seconds" }.Where(f.Has).ToList();
        if (given.Count != 1) throw f.Bad("at-update", given.Count == 0 ? "(missing)" : string.Join(" and ", given), "exactly one of at-update, at-epoch or at-seconds");
        return given[0] switch
        {
            "at-update" => FaultTrigger.AtUpdate(f.Long("at-update", 0, 0)),
            "at-epoch" => new FaultTrigger(FaultTrigger.Unit.Epoch, f.Double("at-epoch", 0, 0, 1e6)),
            _ => FaultTrigger.AtSeconds(f.Double("at-seconds", 0, 0, 1e7)),
        };
    }

    private static string ProcessTarget(ScenarioSection f, Topology topology)
    {
        var target = f.String("target", "");
        CheckProcess(f, "target", target, topology);
        return target;
    }

    private static void CheckProcess(ScenarioSection f, string key, string name, Topology topology)
    {
        if (!topology.ProcessNames.Contains(name)) throw f.Bad(key, name == "" ? "(missing)" : name, $"a process of this topology: {string.Join(", ", topology.ProcessNames)}");
    }

    private static string ActorTarget(ScenarioSection f, Topology topology)
    {
        var target = f.String("target", "");
        var workers = Enumerable.Range(1, topology.Workers).Select(n => $"worker-{n}");
        if (!IsShard(target) && !ActorTargets.Contains(target) && !workers.Contains(target))
            throw f.Bad("target", target == "" ? "(missing)" : target, $"shard-N, coordinator, evaluator or one of {string.Join(", ", workers)}");
        return target;
    }

    internal static bool IsShard(string target) => target.StartsWith("shard-", StringComparison.Ordinal) && int.TryParse(target[6..], out var n) && n >= 0;
}
