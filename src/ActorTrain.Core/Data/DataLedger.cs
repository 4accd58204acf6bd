using System.Collections.ObjectModel;

namespace ActorTrain.Core.Data;

/// <summary>
/// Which micro-batches are done this run, which are out with which worker, and what to hand out next.
/// Micro-batches go out in plan order; those a lost worker held go back and are handed out first.
/// A micro-batch is committed once, by the worker holding it (invariant 2 of DESIGN.md).
/// Everything before the plan-order cursor has been handed out: it is committed unless it is out or handed back,
/// so the ledger's whole state is the cursor, those two small sets, a counter and the skip marks (<see cref="Export"/>).
/// A micro-batch can be marked skipped (<see cref="Skip"/>: a divergence rollback's trouble window) while it is free:
/// it is still handed out in plan order, so a BSP step keeps its micro-batches, and committed like any other, but the
/// worker does not train on it. The ledger only keeps the mark and its reason; it changes nothing else it does, and
/// marks outlive releases, rollbacks and snapshots, since data found harmful stays harmful when it goes out again.
/// </summary>
public sealed class DataLedger
{
    private readonly BatchPlan _plan;
    private readonly SortedSet<MicroBatchId> _returned = [];
    private readonly Dictionary<MicroBatchId, string> _outstanding = [];
    private readonly SortedDictionary<MicroBatchId, string> _skipped = [];
    private MicroBatchId _cursor = new(0, 0);

    public DataLedger(BatchPlan plan)
    {
        _plan = plan;
        Skipped = new ReadOnlyDictionary<MicroBatchId, string>(_skipped);
    }

    public BatchPlan Plan => _plan;
    public long CompletedMicroBatches => Ordinal(_cursor) - _returned.Count - _outstanding.Count;
    public long ReissuedMicroBatches { get; private set; }
    public int OutstandingCount => _outstanding.Count;

    /// <summary>Micro-batches handed back (by a lost worker) and not yet handed out again: they go out first.</summary>
    public int ReturnedCount => _returned.Count;
    public bool IsFinished => CompletedMicroBatches == _plan.TotalMicroBatches;

    /// <summary>Every skip mark with its reason, committed or not: a live view, in id order.</summary>
    public IReadOnlyDictionary<MicroBatchId, string> Skipped { get; }

    /// <summary>How many marked micro-batches are committed now (a rollback that hands one out again lowers it).</summary>
    public long SkippedMicroBatches => _skipped.Keys.Count(IsCommitted);

    /// <summary>The lowest epoch not yet fully completed (equals Epochs when finished).</summary>
    public int CurrentEpoch
    {
        get
        {
            var epoch = Math.Min(_cursor.Epoch, _plan.Epochs);
            if (_returned.Count > 0) epoch = Math.Min(epoch, _returned.Min.Epoch);
            foreach (var id in _outstanding.Keys) epoch = Math.Min(epoch, id.Epoch);
            return epoch;
        }
    }

    /// <summary>Where the ledger stands now, as a checkpoint records it.</summary>
    public LedgerPosition Position => new(_cursor, [.. _returned.Concat(_outstanding.Keys).Order()]);

    /// <summary>The next micro-batch for <paramref name="workerId"/>, or null when none is free now.</summary>
    public BatchAssignment? TryAssign(string workerId) => PeekNext() is { } next ? Assign(workerId, next) : null;

    /// <summary>What <see cref="TryAssign"/> would hand out next, without handing it out.</summary>
    public MicroBatchId? PeekNext()
    {
        if (_returned.Count > 0) return _returned.Min;
        return _cursor.Epoch < _plan.Epochs ? _cursor : null;
    }

    /// <summary>
    /// Hands out <paramref name="id"/>, which must be free now (handed back, or at the cursor): how a recorded
    /// assignment is replayed. Throws when it is not, i.e. when the record does not belong to this ledger.
    /// </summary>
    public BatchAssignment Assign(string workerId, MicroBatchId id)
    {
        Take(workerId, id);
        return _plan.AssignmentOf(id);
    }

    /// <summary><see cref="Assign"/> without building the assignment (its sample list): what a replay needs.</summary>
    public void Take(string workerId, MicroBatchId id)
    {
        if (!_returned.Remove(id))
        {
            if (id != _cursor || _cursor.Epoch >= _plan.Epochs)
                throw new InvalidOperationException($"{id} is not free to assign (next in plan order: {_cursor})");
            _cursor = Successor(_cursor);
        }
        _outstanding[id] = workerId;
    }

    /// <summary>What <see cref="Complete"/> would answer, without committing anything.</summary>
    public CompletionOutcome Check(string workerId, MicroBatchId id)
    {
        if (!_outstanding.TryGetValue(id, out var holder)) return IsCommitted(id) ? CompletionOutcome.AlreadyCompleted : CompletionOutcome.NotAssigned;
        if (holder != workerId) return CompletionOutcome.HeldByAnother;
        return _cursor.Epoch > id.Epoch && !_returned.Any(r => r.Epoch == id.Epoch) && !_outstanding.Keys.Any(o => o.Epoch == id.Epoch && o != id)
            ? CompletionOutcome.CompletedEpoch
            : CompletionOutcome.Completed;
    }

    /// <summary>Commits a micro-batch; only the worker it is out with can commit it.</summary>
    public CompletionOutcome Complete(string workerId, MicroBatchId id)
    {
        var outcome = Check(workerId, id);
        if (outcome is CompletionOutcome.Completed or CompletionOutcome.CompletedEpoch) _outstanding.Remove(id);
        return outcome;
    }

    /// <summary>Takes back everything a worker holds (it left or died); those go out again first.</summary>
    public IReadOnlyList<MicroBatchId> Release(string workerId)
    {
        var held = HeldBy(workerId);
        foreach (var id in held)
        {
            _outstanding.Remove(id);
            _returned.Add(id);
        }
        ReissuedMicroBatches += held.Count;
        return held;
    }

    /// <summary>
    /// Marks <paramref name="ids"/> skipped for <paramref name="reason"/>. Each must be free now (handed back, or at or
    /// after the plan-order cursor): one out with a worker is being trained on, and a committed one was trained on
    /// already, so marking either would record what did not happen. An id marked before keeps its first reason (the
    /// window that first found it harmful). All or nothing: nothing is marked when one id is refused.
    /// </summary>
    /// <exception cref="ArgumentException">An id that is not in the plan, out with a worker or committed, named; or a blank reason.</exception>
    public void Skip(IEnumerable<MicroBatchId> ids, string reason)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var marks = ids.ToArray();
        foreach (var id in marks)
        {
            var why = !IsInPlan(id) ? "not in the plan"
                : _outstanding.TryGetValue(id, out var holder) ? $"out with {holder}"
                : IsCommitted(id) ? "committed"
                : null;
            if (why is not null) throw new ArgumentException($"{id} cannot be skipped: it is {why}", nameof(ids));
        }
        foreach (var id in marks) _skipped.TryAdd(id, reason);
    }

    /// <summary>Why <paramref name="id"/> is marked skipped, or null when it is not: what its worker is told.</summary>
    public string? SkipReasonOf(MicroBatchId id) => _skipped.GetValueOrDefault(id);

    /// <summary>The micro-batches out now, held by a worker.</summary>
    public IEnumerable<MicroBatchId> Outstanding => _outstanding.Keys;

    public IReadOnlyList<MicroBatchId> HeldBy(string workerId) =>
        [.. _outstanding.Where(o => o.Value == workerId).Select(o => o.Key).Order()];

    /// <summary>
    /// Goes back to <paramref name="position"/>: what was committed after it, and what is out now, goes out again
    /// (counted as reissued); nobody holds anything. Skip marks stay. Gives the number reissued.
    /// </summary>
    public long RollBackTo(LedgerPosition position)
    {
        if (position.Cursor.Epoch > _plan.Epochs || position.NotDone.Any(id => !IsInPlan(id) || id.CompareTo(position.Cursor) >= 0))
            throw new ArgumentException($"position {position.Cursor} (not done: {string.Join(", ", position.NotDone)}) is not one of this plan", nameof(position));
        var reissued = Math.Max(0, CompletedMicroBatches - position.Committed(_plan)) + _outstanding.Count;
        _outstanding.Clear();
        _returned.Clear();
        _returned.UnionWith(position.NotDone);
        _cursor = position.Cursor;
        ReissuedMicroBatches += reissued;
        return reissued;
    }

    public LedgerState Export() => new(_cursor, [.. _returned], [.. _outstanding.OrderBy(o => o.Key)], ReissuedMicroBatches, [.. _skipped]);

    /// <summary>A ledger holding <paramref name="state"/>, as <see cref="Export"/> gave it.</summary>
    public static DataLedger Restore(BatchPlan plan, LedgerState state)
    {
        var ledger = new DataLedger(plan) { _cursor = state.Cursor, ReissuedMicroBatches = state.Reissued };
        ledger._returned.UnionWith(state.Returned);
        foreach (var (id, worker) in state.Outstanding) ledger._outstanding[id] = worker;
        foreach (var (id, reason) in state.Skipped ?? []) ledger._skipped[id] = reason;
        return ledger;
    }

    private bool IsCommitted(MicroBatchId id) =>
        IsInPlan(id) && id.CompareTo(_cursor) < 0 && !_returned.Contains(id) && !_outstanding.ContainsKey(id);

    private bool IsInPlan(MicroBatchId id) => id.Epoch >= 0 && id.Epoch < _plan.Epochs && id.Index >= 0 && id.Index < _plan.MicroBatchesPerEpoch;

    private long Ordinal(MicroBatchId id) => (long)id.Epoch * _plan.MicroBatchesPerEpoch + id.Index;

    private MicroBatchId Successor(MicroBatchId id) =>
        id.Index + 1 < _plan.MicroBatchesPerEpoch ? id with { Index = id.Index + 1 } : new MicroBatchId(id.Epoch + 1, 0);
}
