namespace ActorTrain.Core.Durability;

/// <summary>
/// A worker's upstream backup: every push it sent, kept until the shard confirms a snapshot that covers it, so
/// that a shard which loses its memory (a crash, a lost node) can be given back what it had applied since its
/// last snapshot. The shard's dedup table makes a replay harmless: what the snapshot already holds is acked
/// as a duplicate. Bounded by bytes: when full, the worker stops starting new work until a snapshot frees room.
/// A bound of 0 turns it off: nothing is kept, and a shard crash loses what it applied since its last snapshot.
/// </summary>
public sealed class UpstreamBackup<T>
{
    private readonly SortedDictionary<long, (T Item, long Bytes)>[] _byShard;

    public UpstreamBackup(int shards, long maxBytes)
    {
        if (maxBytes < 0) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "a byte bound is 0 (off) or more");
        MaxBytes = maxBytes;
        _byShard = [.. Enumerable.Range(0, shards).Select(_ => new SortedDictionary<long, (T, long)>())];
    }

    public long MaxBytes { get; }
    public long Bytes { get; private set; }
    public int Count => _byShard.Sum(s => s.Count);

    /// <summary>True once the retained pushes reach <see cref="MaxBytes"/>: start no new work until some are released.</summary>
    public bool IsFull => MaxBytes > 0 && Bytes >= MaxBytes;

    public int CountFor(int shard) => _byShard[shard].Count;

    /// <summary>Keeps push <paramref name="seq"/> to <paramref name="shard"/>; keeping the same one twice keeps it once.</summary>
    public void Retain(int shard, long seq, T item, long bytes)
    {
        if (MaxBytes > 0 && _byShard[shard].TryAdd(seq, (item, bytes))) Bytes += bytes;
    }

    /// <summary>
    /// Drops what a snapshot of <paramref name="shard"/> covers: every seq at or below <paramref name="watermark"/>
    /// and every seq in <paramref name="appliedAboveWatermark"/> (the shard's dedup row for this worker incarnation).
    /// Returns how many were dropped.
    /// </summary>
    public int Release(int shard, long watermark, IEnumerable<long> appliedAboveWatermark)
    {
        var retained = _byShard[shard];
        var covered = retained.Keys.TakeWhile(seq => seq <= watermark).ToHashSet();
        covered.UnionWith(appliedAboveWatermark.Where(retained.ContainsKey));
        foreach (var seq in covered)
        {
            Bytes -= retained[seq].Bytes;
            retained.Remove(seq);
        }
        return covered.Count;
    }

    /// <summary>
    /// Degraded durability: drops the oldest pushes (lowest seq, from the shard holding the most bytes) until the backup is
    /// no longer full, so the worker can go on when no snapshot will free room. A shard lost afterwards loses what it
    /// applied of them since its last snapshot. Returns how many were dropped.
    /// </summary>
    public int DropOldest()
    {
        var dropped = 0;
        while (IsFull)
        {
            var retained = _byShard.MaxBy(s => s.Values.Sum(v => v.Bytes))!;
            var (seq, (_, bytes)) = retained.First();
            retained.Remove(seq);
            Bytes -= bytes;
            dropped++;
        }
        return dropped;
    }

    /// <summary>What to send again to a shard that restarted from a snapshot, oldest first.</summary>
    public IReadOnlyList<T> ToReplay(int shard) => [.. _byShard[shard].Values.Select(v => v.Item)];
}
