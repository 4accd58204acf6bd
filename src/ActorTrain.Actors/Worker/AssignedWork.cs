using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// The micro-batches a worker holds (assigned, not yet committed) and the last ones committed, so that an assignment the
/// coordinator tells again (it resends those with no completion for a while, in case the first was lost) is taken once.
/// </summary>
public sealed class AssignedWork
{
    private const int RecentlyCommitted = 256;
    private readonly HashSet<(int Epoch, int MicroBatch)> _held = [];
    private readonly HashSet<(int Epoch, int MicroBatch)> _committed = [];
    private readonly Queue<(int Epoch, int MicroBatch)> _committedOrder = new();

    /// <summary>Whether <paramref name="work"/> is new to this worker (false: a repeat of one it holds or has just committed).</summary>
    public bool Accept(WorkAssigned work) => !_committed.Contains((work.Epoch, work.MicroBatch)) && _held.Add((work.Epoch, work.MicroBatch));

    public void Committed(int epoch, int microBatch)
    {
        if (!_held.Remove((epoch, microBatch)) || !_committed.Add((epoch, microBatch))) return;
        _committedOrder.Enqueue((epoch, microBatch));
        if (_committedOrder.Count > RecentlyCommitted) _committed.Remove(_committedOrder.Dequeue());
    }
}
