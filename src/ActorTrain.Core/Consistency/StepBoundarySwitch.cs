using ActorTrain.Core.Data;

namespace ActorTrain.Core.Consistency;

/// <summary>
/// A live switch to or from BSP takes effect at a step boundary of the plan. BSP keys a step's gradients by the shards'
/// version, so BSP work after a switch is numbered from a version every shard has reached: shard version = plan step
/// + the offset <see cref="Offset"/> gives. The coordinator keeps handing out work in the current mode until the ledger's next
/// micro-batch begins a plan step and none handed back waits, then hands out nothing until every micro-batch out is
/// committed, then switches. The decision reads only the ledger, so it holds the same after a worker is lost: what it
/// held goes back, is handed out first, and the boundary waits for it.
/// </summary>
public static class StepBoundarySwitch
{
    /// <summary>What the coordinator does next about a switch waiting for its boundary, with the reason.</summary>
    public static (SwitchProgress Progress, string Reason) Decide(DataLedger ledger)
    {
        var plan = ledger.Plan;
        var next = ledger.PeekNext();
        if (ledger.ReturnedCount > 0)
            return (SwitchProgress.Assign, $"{ledger.ReturnedCount} micro-batch(es) handed back before the boundary go out first");
        if (next is { } id && id.Index % plan.MicroBatchesPerStep != 0)
            return (SwitchProgress.Assign, $"step {plan.StepOf(id)} is not all handed out");
        var boundary = FirstStep(ledger);
        if (ledger.OutstandingCount > 0)
            return (SwitchProgress.Drain, $"at the boundary before step {boundary}: {ledger.OutstandingCount} micro-batch(es) still to be committed");
        return (SwitchProgress.Switch, $"every micro-batch before step {boundary} is committed");
    }

    /// <summary>The plan step the switched mode begins with: the next micro-batch's (the plan's end when none is left).</summary>
    public static long FirstStep(DataLedger ledger) => ledger.PeekNext() is { } next ? ledger.Plan.StepOf(next) : ledger.Plan.TotalSteps;

    /// <summary>
    /// BSP from plan step <paramref name="firstStep"/>, with every shard at <paramref name="shardVersions"/>: all of them
    /// start at the highest (a shard only moves forward), and a plan step's BSP step number (its shards' version when it
    /// is applied) is the plan step plus the offset returned.
    /// </summary>
    public static (long StartVersion, long StepOffset) Offset(long firstStep, IReadOnlyCollection<long> shardVersions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstStep);
        if (shardVersions.Count == 0) throw new ArgumentException("no shard versions", nameof(shardVersions));
        var start = Math.Max(shardVersions.Max(), 0);
        return (start, start - firstStep);
    }
}
