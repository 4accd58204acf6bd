using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Invariant 3: no gradient applied under SSP with staleness above the bound its weights were released under. SSP bounds
/// clocks, so an application is judged by its <see cref="PushApplied.ClockGap"/> against its <see cref="PushApplied.Bound"/>,
/// which the shard records with it: a live change of the bound (ssp:4 to ssp:1) reaches each shard at its own time, and a
/// push computed on weights read under the old bound is judged by that one, not by the new. An application recorded
/// without its bound (an older history) is judged by the mode in force at its version after (<see cref="ModeChanged.AtUpdate"/>).
/// One without a clock gap (computed on weights the shard released before it was in SSP: pushes in flight at a live
/// switch, or a shard the coordinator's word had not yet reached; or replayed to a restarted shard by an earlier
/// incarnation of its worker, judged when it was first applied) is counted apart, not judged.
/// </summary>
internal static class StalenessBoundCheck
{
    public const int Number = 3;
    public const string Name = "SSP staleness within the bound";

    public static InvariantVerdict Check(IReadOnlyList<HistoryEvent> history, InvariantCheckOptions options)
    {
        var changes = history.OfType<ModeChanged>().OrderBy(c => c.AtUpdate).ToArray();
        var applications = history.OfType<PushApplied>().ToArray();
        var bounds = changes.Where(c => c.Mode == ConsistencyMode.Ssp).Select(c => c.Staleness)
            .Prepend(options.Mode == ConsistencyMode.Ssp ? options.Staleness : -1)
            .Concat(applications.Where(a => a.ClockGap != null && a.Bound != null).Select(a => a.Bound!.Value))
            .Where(s => s >= 0).Distinct().ToArray();
        if (bounds.Length == 0) return InvariantVerdict.NotChecked(Number, Name, "SSP was never on");

        var violations = new Violations();
        long underSsp = 0, highest = 0, notYetSsp = 0;
        foreach (var applied in applications)
        {
            var (mode, bound) = (options.Mode, options.Staleness);
            foreach (var change in changes.TakeWhile(c => c.AtUpdate <= applied.VersionAfter)) (mode, bound) = (change.Mode, change.Staleness);
            if (applied.ClockGap is not null && applied.Bound is { } releasedUnder) (mode, bound) = (ConsistencyMode.Ssp, releasedUnder);
            if (mode != ConsistencyMode.Ssp) continue;
            if (applied.ClockGap is not { } gap)
            {
                notYetSsp++;
                continue;
            }
            underSsp++;
            highest = Math.Max(highest, gap);
            if (gap > bound)
                violations.Add($"push {applied.Push} applied at shard {applied.Shard} (version {applied.VersionAfter}) with staleness {gap} clocks > bound {bound}");
        }

        return violations.Verdict(Number, Name,
            $"{underSsp} applications under SSP, highest staleness {highest} clocks ({(bounds.Length == 1 ? "bound" : "bounds")} {string.Join(", ", bounds)})"
            + (notYetSsp == 0 ? "" : $", {notYetSsp} not judged (computed on weights read before SSP was on, or from an earlier shard instance)"));
    }
}
