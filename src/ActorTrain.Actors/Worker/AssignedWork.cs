using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// The micro-batches a worker holds (assigned, not yet committed), so that an assignment the coordinator tells again (it
/// resends those with no completion for a while, in case the first was lost) is taken once. A micro-batch assigned again
/// after its commit is taken: that comes from a coordinator that never learnt of the commit (one recovered from a
/// journal that lagged, after a failover), and it needs the completion again. Repeats from the same coordinator cannot
/// arrive after the commit: it tells the repeat before it records the commit, and messages between two actors keep
/// their order.
/// </summary>
public sealed class AssignedWork
{
    private readonly HashSet<(int Epoch, int MicroBatch)> _held = [];

    /// <summary>Whether <paramref name="work"/> is new to this worker (false: a repeat of one it holds).</summary>
    public bool Accept(WorkAssigned work) => _held.Add((work.Epoch, work.MicroBatch));

    public void Committed(int epoch, int microBatch) => _held.Remove((epoch, microBatch));
}
