namespace ActorTrain.Core.Consistency;

/// <summary>
/// SSP's bound (Ho et al., 2013): each worker's clock counts the micro-batches it has pushed. A worker at clock c
/// may read the weights only while the slowest live worker is at clock ≥ c − s, so no worker runs more than s
/// clocks ahead of the slowest and every gradient is computed on weights that miss at most s clocks of anyone's
/// updates. Workers that left do not hold the others back.
/// </summary>
public sealed class WorkerClocks
{
    private readonly Dictionary<string, long> _clocks = new(StringComparer.Ordinal);

    public int Count => _clocks.Count;

    /// <summary>Sets a worker's clock (never backwards; a worker first seen starts where it says).</summary>
    public void Observe(string workerId, long clock)
    {
        if (!_clocks.TryGetValue(workerId, out var known) || clock > known) _clocks[workerId] = clock;
    }

    public void Remove(string workerId) => _clocks.Remove(workerId);

    /// <summary>The slowest live worker's clock, or null when none is known.</summary>
    public long? Slowest => _clocks.Count == 0 ? null : _clocks.Values.Min();

    /// <summary>How far a reader at <paramref name="clock"/> is ahead of the slowest worker (0 when it is the slowest).</summary>
    public long Gap(long clock) => Slowest is { } slowest ? Math.Max(0, clock - slowest) : 0;

    /// <summary>True when a reader at <paramref name="clock"/> may read under bound <paramref name="staleness"/>.</summary>
    public bool MayRead(long clock, int staleness) => Gap(clock) <= staleness;
}
