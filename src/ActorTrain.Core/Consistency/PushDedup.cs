namespace ActorTrain.Core.Consistency;

/// <summary>
/// The dedup table of a parameter shard: which pushes it has applied. Invariant 1 of DESIGN.md (no push
/// applied twice) rests on it. Per worker it keeps the newest incarnation, a watermark below which every
/// sequence number was applied, and the applied numbers above the watermark; so its size stays bounded
/// by the pushes in flight, not by the length of the run. A divergence rollback <see cref="Fence"/>s the worker
/// incarnations that trained on the discarded weights, so none of their late pushes lands on the rolled-back shard.
/// </summary>
public sealed class PushDedup
{
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public PushVerdict Check(PushId push)
    {
        if (push.Seq < 1) throw new ArgumentOutOfRangeException(nameof(push), push.Seq, "sequence numbers start at 1");
        if (!_windows.TryGetValue(push.WorkerId, out var window) || push.Incarnation > window.Incarnation) return PushVerdict.Fresh;
        if (push.Incarnation < window.Incarnation) return PushVerdict.StaleIncarnation;
        return push.Seq <= window.Watermark || window.Above.Contains(push.Seq) ? PushVerdict.Duplicate : PushVerdict.Fresh;
    }

    /// <summary>Records an applied push. Call only after <see cref="Check"/> said <see cref="PushVerdict.Fresh"/>.</summary>
    public void Record(PushId push)
    {
        if (Check(push) != PushVerdict.Fresh) throw new InvalidOperationException($"push {push} is not fresh; it must not be applied");
        if (!_windows.TryGetValue(push.WorkerId, out var window) || push.Incarnation > window.Incarnation)
        {
            window = new Window(push.Incarnation);
            _windows[push.WorkerId] = window;
        }
        window.Above.Add(push.Seq);
        while (window.Above.Remove(window.Watermark + 1)) window.Watermark++;
    }

    /// <summary>Checks and records in one call; true when the push is fresh and must be applied now.</summary>
    public PushVerdict Admit(PushId push)
    {
        var verdict = Check(push);
        if (verdict == PushVerdict.Fresh) Record(push);
        return verdict;
    }

    /// <summary>
    /// Refuses every push of <paramref name="workerId"/> from <paramref name="incarnation"/> and older
    /// (<see cref="PushVerdict.StaleIncarnation"/>); a later incarnation is fresh from seq 1. A window of a later
    /// incarnation than the fenced one is kept as it is: lowering it would admit pushes it refuses or applied.
    /// The fence is an empty window of the next incarnation (watermark 0, nothing applied), which is exactly what that
    /// incarnation's first push would open; so it needs no field of its own and <see cref="Export"/> carries it as an
    /// ordinary <see cref="DedupEntry"/>.
    /// </summary>
    public void Fence(string workerId, long incarnation)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(incarnation, long.MaxValue);
        if (_windows.TryGetValue(workerId, out var window) && window.Incarnation > incarnation) return;
        _windows[workerId] = new Window(incarnation + 1);
    }

    /// <summary>The table's state, for snapshots: one entry per worker.</summary>
    public IReadOnlyList<DedupEntry> Export() =>
        [.. _windows.OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => new DedupEntry(w.Key, w.Value.Incarnation, w.Value.Watermark, [.. w.Value.Above.Order()]))];

    public static PushDedup Import(IEnumerable<DedupEntry> entries)
    {
        var dedup = new PushDedup();
        foreach (var e in entries)
        {
            var window = new Window(e.Incarnation) { Watermark = e.Watermark };
            foreach (var seq in e.AppliedAboveWatermark) window.Above.Add(seq);
            dedup._windows[e.WorkerId] = window;
        }
        return dedup;
    }

    private sealed class Window(long incarnation)
    {
        public long Incarnation { get; } = incarnation;
        public long Watermark { get; set; }
        public HashSet<long> Above { get; } = [];
    }
}
