using ActorTrain.Core.Data;

namespace ActorTrain.Core.Tests.Data;

/// <summary>
/// A deliberately naive reference for <see cref="DataLedger"/>: what it must hand out next, who holds what,
/// and what has been committed, kept as plain sets so it is obviously right.
/// </summary>
internal sealed class LedgerModel(BatchPlan plan)
{
    private readonly SortedSet<MicroBatchId> _returned = [];
    private MicroBatchId _cursor = new(0, 0);

    public Dictionary<MicroBatchId, string> Outstanding { get; } = [];
    public Dictionary<MicroBatchId, int> Commits { get; } = [];
    public long Reissued { get; private set; }

    public int CurrentEpoch
    {
        get
        {
            var e = 0;
            while (e < plan.Epochs && Commits.Keys.Count(id => id.Epoch == e) == plan.MicroBatchesPerEpoch) e++;
            return e;
        }
    }

    public MicroBatchId? Assign(string worker)
    {
        MicroBatchId next;
        if (_returned.Count > 0)
        {
            next = _returned.Min;
            _returned.Remove(next);
        }
        else if (_cursor.Epoch < plan.Epochs)
        {
            next = _cursor;
            _cursor = next.Index + 1 < plan.MicroBatchesPerEpoch ? new(next.Epoch, next.Index + 1) : new(next.Epoch + 1, 0);
        }
        else
        {
            return null;
        }
        Outstanding.Add(next, worker);
        return next;
    }

    /// <summary>True when the report commits the micro-batch.</summary>
    public bool Complete(string worker, MicroBatchId id)
    {
        if (!Outstanding.TryGetValue(id, out var holder) || holder != worker) return false;
        Outstanding.Remove(id);
        Commits[id] = Commits.GetValueOrDefault(id) + 1;
        return true;
    }

    public bool CompletesEpoch(MicroBatchId id) => Commits.Keys.Count(c => c.Epoch == id.Epoch) == plan.MicroBatchesPerEpoch;

    public MicroBatchId[] Release(string worker)
    {
        var held = HeldBy(worker);
        foreach (var id in held)
        {
            Outstanding.Remove(id);
            _returned.Add(id);
        }
        Reissued += held.Length;
        return held;
    }

    public MicroBatchId[] HeldBy(string worker) => [.. Outstanding.Where(o => o.Value == worker).Select(o => o.Key).Order()];
}
