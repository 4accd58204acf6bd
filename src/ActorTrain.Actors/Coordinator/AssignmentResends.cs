using ActorTrain.Core.Data;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// When each micro-batch out was last told to its worker, so that an assignment lost on the way (a dropped message, a
/// partition that healed) is told again: otherwise the micro-batch stays held by a live worker that never heard of it,
/// its epoch never ends, and under BSP its step never completes (the bsp-bitwise-under-faults chaos scenario hung so).
/// Workers ignore an assignment they already hold, so telling one again is harmless. Kept in memory only: after a
/// recovery every held micro-batch counts as told long ago.
/// </summary>
public sealed class AssignmentResends(TimeSpan after)
{
    private readonly Dictionary<MicroBatchId, DateTime> _toldAt = [];

    public void Told(MicroBatchId id, DateTime now) => _toldAt[id] = now;

    /// <summary>The micro-batches <paramref name="held"/> by a worker that were last told longer than the wait ago; each is marked told now.</summary>
    public IReadOnlyList<MicroBatchId> Due(IEnumerable<MicroBatchId> held, DateTime now)
    {
        var due = held.Where(id => !_toldAt.TryGetValue(id, out var at) || now - at >= after).ToList();
        foreach (var id in due) _toldAt[id] = now;
        return due;
    }

    /// <summary>Forgets what is no longer out (committed, or gone back to the ledger).</summary>
    public void Forget(MicroBatchId id) => _toldAt.Remove(id);
}
