namespace ActorTrain.Core.Consistency;

/// <summary>
/// SSP's bound (Ho et al., 2013): each worker's clock counts the micro-batches it has pushed. A worker at clock c
/// may read the weights only while the slowest live worker is at clock ≥ c − s, so no worker runs more than s
/// clocks ahead of the slowest and every gradient is computed on weights that miss at most s clocks of anyone's
/// updates. Workers that left do not hold the others back, and a worker's first read of a shard instance places it level
/// with the slowest (an offset, up or down, puts it at the slowest's clock): one that joins late (its own count starts
/// at 0) makes nobody wait for it to catch up, and after a shard's restart nobody waits for whoever read first.
/// A clock belongs to one incarnation of a worker: a worker actor restarted by its supervisor counts again from 0,
/// and is placed again, like one that joins late.
/// </summary>
public sealed class WorkerClocks
{
    private readonly Dictionary<string, long> _clocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _incarnations = new(StringComparer.Ordinal);

    public int Count => _clocks.Count;

    /// <summary>
    /// A read by incarnation <paramref name="incarnation"/> of a worker, for its clock <paramref name="clock"/> (never
    /// backwards). Only a read places a worker: the first of an incarnation puts it level with the slowest; an older
    /// incarnation's places nothing.
    /// </summary>
    public void Observe(string workerId, long clock, long incarnation = 0)
    {
        var known = _incarnations.GetValueOrDefault(workerId, long.MinValue);
        if (incarnation < known) return;
        if (incarnation > known)
        {
            Remove(workerId);
            // Level from above as from below: after a shard's restart its clocks are empty and the first reader sets
            // the level; a restarted worker actor (counting from 0) reading first had put everyone else far "ahead" of
            // it, and they waited on this shard while it waited on another for them (soak-3-251).
            _offsets[workerId] = Slowest is { } slowest ? slowest - clock : 0;
            _incarnations[workerId] = incarnation;
        }
        Advance(workerId, clock);
    }

    /// <summary>
    /// Advances a placed worker's clock by a push of the incarnation placed (never backwards); a push from a worker not
    /// yet placed, or from another incarnation, sets nothing. After a shard's restart its clocks are empty and the
    /// workers replay old pushes with old clocks (a dead incarnation's among them): a replay taken as a join had set
    /// that worker's offset as if it were hundreds of clocks behind, putting it as far ahead once its fresh pushes
    /// came, and the job's end waited forever (found by the chaos soak: SSP jobs stopped short after a shard restart).
    /// </summary>
    public void ObservePush(string workerId, long clock, long incarnation = 0)
    {
        if (_incarnations.TryGetValue(workerId, out var known) && known == incarnation) Advance(workerId, clock);
    }

    /// <summary>Whether incarnation <paramref name="incarnation"/> of the worker is the one its clock belongs to.</summary>
    public bool IsPlaced(string workerId, long incarnation = 0) =>
        _incarnations.TryGetValue(workerId, out var known) && known == incarnation && _clocks.ContainsKey(workerId);

    public void Remove(string workerId)
    {
        _clocks.Remove(workerId);
        _offsets.Remove(workerId);
        _incarnations.Remove(workerId);
    }

    /// <summary>The slowest live worker's clock, or null when none is known.</summary>
    public long? Slowest => _clocks.Count == 0 ? null : _clocks.Values.Min();

    /// <summary>How far a worker reading for its clock <paramref name="clock"/> is ahead of the slowest worker.</summary>
    public long Gap(string workerId, long clock)
    {
        var effective = clock + _offsets.GetValueOrDefault(workerId);
        return Slowest is { } slowest ? Math.Max(0, effective - slowest) : 0;
    }

    /// <summary>True when the worker may read for its clock <paramref name="clock"/> under bound <paramref name="staleness"/>.</summary>
    public bool MayRead(string workerId, long clock, int staleness) => Gap(workerId, clock) <= staleness;

    private void Advance(string workerId, long clock)
    {
        var effective = clock + _offsets.GetValueOrDefault(workerId);
        if (!_clocks.TryGetValue(workerId, out var known) || effective > known) _clocks[workerId] = effective;
    }
}
