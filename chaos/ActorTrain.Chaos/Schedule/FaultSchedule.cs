using ActorTrain.Chaos.Scenarios;
using ActorTrain.Core.Randomness;

namespace ActorTrain.Chaos.Schedule;

/// <summary>
/// The injections a scenario's seed gives, in the order declared. A pure function of the scenario: the same seed always
/// gives the same schedule (a kill-loop's victims and times are drawn here, not while the job runs).
/// </summary>
public static class FaultSchedule
{
    private const ulong KillLoopPurpose = 0xC4A05;
    private const ulong InjectionPurpose = 0x5EED;

    public static IReadOnlyList<ScheduledFault> Of(Scenario scenario)
    {
        var schedule = new List<ScheduledFault>();
        for (var i = 0; i < scenario.Faults.Count; i++)
        {
            var spec = scenario.Faults[i];
            var seed = SplitMix64.For((ulong)scenario.Seed, InjectionPurpose, (ulong)i).NextUInt64();
            if (spec.Kind == FaultKind.KillLoop) schedule.AddRange(KillLoop(scenario, i, spec));
            else schedule.Add(new ScheduledFault(i, 0, spec.Kind, spec.Target, spec.At, spec.After, spec, seed));
        }
        return schedule;
    }

    /// <summary>Exponential gaps with the mean time between failures, each kill followed by a restart of the victim.</summary>
    private static IEnumerable<ScheduledFault> KillLoop(Scenario scenario, int index, FaultSpec spec)
    {
        var random = SplitMix64.For((ulong)scenario.Seed, KillLoopPurpose, (ulong)index);
        var victims = scenario.Topology.ProcessNames.Where(n => n.StartsWith("worker-", StringComparison.Ordinal) ||
                                                                (spec.IncludePs && n.StartsWith("ps-", StringComparison.Ordinal))).ToList();
        if (victims.Count == 0) yield break;
        var downUntil = new Dictionary<string, double>();
        var t = 0.0;
        var step = 1;
        while (true)
        {
            t += -Math.Log(1 - random.NextSingle() * 0.999) * spec.MeanTimeBetweenFailures.TotalSeconds;
            if (t > spec.For.TotalSeconds) yield break;
            var victim = victims[random.NextInt(victims.Count)];
            // A victim still down is not killed again: the draw is kept (the schedule stays the same) and skipped.
            if (downUntil.TryGetValue(victim, out var until) && until > t) continue;
            downUntil[victim] = t + spec.RestartAfter.TotalSeconds;
            var seed = random.NextUInt64();
            yield return new ScheduledFault(index, step++, FaultKind.KillProcess, victim, spec.At, spec.After + TimeSpan.FromSeconds(t), spec, seed);
            yield return new ScheduledFault(index, step++, FaultKind.Restart, victim, spec.At, spec.After + TimeSpan.FromSeconds(t) + spec.RestartAfter, spec, seed);
        }
    }
}
