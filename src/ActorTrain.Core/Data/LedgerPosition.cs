namespace ActorTrain.Core.Data;

/// <summary>
/// Where a ledger stands, as a checkpoint names it: every micro-batch before <see cref="Cursor"/> (in plan order) is
/// committed except those in <see cref="NotDone"/>, and nothing from the cursor on is. Rolling back to a position
/// hands out again whatever was committed or out after it.
/// </summary>
public sealed record LedgerPosition(MicroBatchId Cursor, IReadOnlyList<MicroBatchId> NotDone)
{
    /// <summary>The start of a job: nothing committed.</summary>
    public static readonly LedgerPosition Start = new(new MicroBatchId(0, 0), []);

    /// <summary>BSP's position at a step boundary: every micro-batch of the steps before <paramref name="step"/> committed, none after.</summary>
    public static LedgerPosition AtStep(BatchPlan plan, long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, plan.TotalSteps);
        var epoch = (int)(step / plan.StepsPerEpoch);
        var index = (int)(step % plan.StepsPerEpoch) * plan.MicroBatchesPerStep;
        return new LedgerPosition(new MicroBatchId(epoch, index), []);
    }

    /// <summary>How many micro-batches are committed at this position.</summary>
    public long Committed(BatchPlan plan) => (long)Cursor.Epoch * plan.MicroBatchesPerEpoch + Cursor.Index - NotDone.Count;

    /// <summary>How many training samples the committed micro-batches hold (the last of an epoch may be short).</summary>
    public long Samples(BatchPlan plan)
    {
        var before = (long)Cursor.Epoch * plan.TrainCount + Math.Min((long)Cursor.Index * plan.MicroBatchSize, plan.TrainCount);
        return before - NotDone.Sum(id => (long)SizeOf(plan, id));
    }

    private static int SizeOf(BatchPlan plan, MicroBatchId id) => Math.Min(plan.MicroBatchSize, plan.TrainCount - id.Index * plan.MicroBatchSize);

    /// <summary>Records compare lists by reference; positions compare by content.</summary>
    public bool Equals(LedgerPosition? other) => other is not null && Cursor == other.Cursor && NotDone.SequenceEqual(other.NotDone);

    public override int GetHashCode() => HashCode.Combine(Cursor, NotDone.Count);
}
