namespace ActorTrain.Core.Data;

/// <summary>
/// Which micro-batches are done this run, which are out with which worker, and what to hand out next.
/// Micro-batches go out in plan order; those a lost worker held go back and are handed out first.
/// A micro-batch is committed once, by the worker holding it (invariant 2 of DESIGN.md).
/// </summary>
public sealed class DataLedger
{
    private readonly BatchPlan _plan;
    private readonly SortedSet<MicroBatchId> _returned = [];
    private readonly Dictionary<MicroBatchId, string> _outstanding = [];
    private readonly int[] _completedPerEpoch;
    private readonly HashSet<MicroBatchId> _completedRecent = [];
    private MicroBatchId _cursor = new(0, 0);

    public DataLedger(BatchPlan plan)
    {
        _plan = plan;
        _completedPerEpoch = new int[plan.Epochs];
    }

    public BatchPlan Plan => _plan;
    public long CompletedMicroBatches { get; private set; }
    public long ReissuedMicroBatches { get; private set; }
    public int OutstandingCount => _outstanding.Count;
    public bool IsFinished => CompletedMicroBatches == _plan.TotalMicroBatches;

    /// <summary>The lowest epoch not yet fully completed (equals Epochs when finished).</summary>
    public int CurrentEpoch
    {
        get
        {
            var e = 0;
            while (e < _plan.Epochs && _completedPerEpoch[e] == _plan.MicroBatchesPerEpoch) e++;
            return e;
        }
    }

    /// <summary>The next micro-batch for <paramref name="workerId"/>, or null when none is free now.</summary>
    public BatchAssignment? TryAssign(string workerId)
    {
        MicroBatchId next;
        if (_returned.Count > 0)
        {
            next = _returned.Min;
            _returned.Remove(next);
        }
        else if (_cursor.Epoch < _plan.Epochs)
        {
            next = _cursor;
            _cursor = next.Index + 1 < _plan.MicroBatchesPerEpoch ? next with { Index = next.Index + 1 } : new MicroBatchId(next.Epoch + 1, 0);
        }
        else
        {
            return null;
        }
        _outstanding[next] = workerId;
        return _plan.AssignmentOf(next);
    }

    /// <summary>Commits a micro-batch; only the worker it is out with can commit it.</summary>
    public CompletionOutcome Complete(string workerId, MicroBatchId id)
    {
        if (!_outstanding.TryGetValue(id, out var holder))
            return _completedRecent.Contains(id) || IsEpochComplete(id) ? CompletionOutcome.AlreadyCompleted : CompletionOutcome.NotAssigned;
        if (holder != workerId) return CompletionOutcome.HeldByAnother;
        _outstanding.Remove(id);
        _completedRecent.Add(id);
        _completedPerEpoch[id.Epoch]++;
        CompletedMicroBatches++;
        if (_completedPerEpoch[id.Epoch] == _plan.MicroBatchesPerEpoch) _completedRecent.RemoveWhere(m => m.Epoch == id.Epoch);
        return _completedPerEpoch[id.Epoch] == _plan.MicroBatchesPerEpoch ? CompletionOutcome.CompletedEpoch : CompletionOutcome.Completed;
    }

    private bool IsEpochComplete(MicroBatchId id) =>
        id.Epoch >= 0 && id.Epoch < _plan.Epochs && id.Index >= 0 && id.Index < _plan.MicroBatchesPerEpoch
        && _completedPerEpoch[id.Epoch] == _plan.MicroBatchesPerEpoch;

    /// <summary>Takes back everything a worker holds (it left or died); those go out again first.</summary>
    public IReadOnlyList<MicroBatchId> Release(string workerId)
    {
        var held = _outstanding.Where(o => o.Value == workerId).Select(o => o.Key).Order().ToArray();
        foreach (var id in held)
        {
            _outstanding.Remove(id);
            _returned.Add(id);
        }
        ReissuedMicroBatches += held.Length;
        return held;
    }

    public IReadOnlyCollection<MicroBatchId> HeldBy(string workerId) =>
        [.. _outstanding.Where(o => o.Value == workerId).Select(o => o.Key).Order()];
}
