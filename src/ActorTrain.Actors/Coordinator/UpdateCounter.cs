using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// Counts optimizer updates from committed micro-batches: in ASP and SSP each micro-batch is one update; in local SGD
/// and DiLoCo a round (the micro-batches of one pseudo-gradient push, its last one marked) is one update; in BSP a
/// step is one update once all of its micro-batches are committed. A live switch changes the mode (<see cref="Follow"/>);
/// to or from BSP it happens at a step boundary, with no step partly committed.
/// </summary>
internal sealed class UpdateCounter(BatchPlan plan, ConsistencyMode mode)
{
    private ConsistencyMode _mode = mode;

    private readonly Dictionary<long, int> _stepRemaining = [];

    public long Updates { get; private set; }

    /// <summary>BSP: the steps partly committed, with how many of their micro-batches are still to come.</summary>
    public IReadOnlyDictionary<long, int> StepsRemaining => _stepRemaining;

    /// <summary>Back to a saved count: a snapshot's, or a checkpoint's (a step boundary in BSP: no step partly committed).</summary>
    public void RestoreTo(long updates, IReadOnlyDictionary<long, int>? stepsRemaining = null)
    {
        Updates = updates;
        _stepRemaining.Clear();
        foreach (var (step, remaining) in stepsRemaining ?? new Dictionary<long, int>()) _stepRemaining[step] = remaining;
    }

    /// <summary>Counts the micro-batches committed from now on as <paramref name="mode"/> does.</summary>
    public void Follow(ConsistencyMode mode) => _mode = mode;

    /// <param name="completesUpdate">False for a local round's micro-batches but its last.</param>
    public void Committed(MicroBatchId id, bool completesUpdate = true)
    {
        if (_mode != ConsistencyMode.Bsp)
        {
            if (completesUpdate) Updates++;
            return;
        }
        var step = plan.StepOf(id);
        var remaining = _stepRemaining.TryGetValue(step, out var r) ? r - 1 : plan.MicroBatchesInStep(step) - 1;
        if (remaining > 0)
        {
            _stepRemaining[step] = remaining;
            return;
        }
        _stepRemaining.Remove(step);
        Updates++;
    }
}
