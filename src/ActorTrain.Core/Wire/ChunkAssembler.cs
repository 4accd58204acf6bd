namespace ActorTrain.Core.Wire;

/// <summary>
/// Puts chunked messages back together, one per <see cref="ChunkKey"/>. Chunks may come in any order and more than
/// once (a resend reuses its message's key and fills the holes of an earlier send); a chunk that contradicts its
/// header or the message's other chunks is rejected with the reason and not stored. Memory stays bounded: an
/// incomplete message that receives nothing for <c>idleTimeout</c> is dropped, and so is the least recently active
/// one when a new message would exceed <c>maxPending</c>. Dropping is safe: whoever waits for the message resends
/// or asks again when no answer comes.
/// </summary>
public sealed class ChunkAssembler
{
    private readonly Dictionary<ChunkKey, Assembly> _assemblies = [];
    private readonly int _maxPending;
    private readonly TimeSpan _idleTimeout;

    public ChunkAssembler(int maxPending, TimeSpan idleTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        _maxPending = maxPending;
        _idleTimeout = idleTimeout;
    }

    /// <summary>Messages begun and not yet complete.</summary>
    public int Pending => _assemblies.Count;

    /// <summary>Adds chunk <paramref name="index"/> of <paramref name="count"/> of a message of <paramref name="totalLength"/> bytes.</summary>
    public ChunkArrival Add(ChunkKey key, int index, int count, long totalLength, ReadOnlySpan<byte> bytes, DateTime now)
    {
        if (ChunkPlan.Problem(totalLength, count) is { } header) return ChunkArrival.Rejected($"chunk {index} of {key}: {header}", []);
        if (totalLength > Array.MaxLength) return ChunkArrival.Rejected($"chunk {index} of {key}: a message of {totalLength} bytes is too large", []);
        if (index < 0 || index >= count) return ChunkArrival.Rejected($"chunk {index} of {key}: it has only {count} chunks", []);
        var plan = new ChunkPlan(totalLength, count);
        if (bytes.Length != plan.Length(index))
            return ChunkArrival.Rejected(
                $"chunk {index} of {key} has {bytes.Length} bytes; chunk {index} of {totalLength} bytes cut into {count} has {plan.Length(index)}", []);

        IReadOnlyList<ChunkKey> dropped = [];
        if (!_assemblies.TryGetValue(key, out var assembly))
        {
            dropped = MakeRoom(now);
            assembly = new Assembly(plan, now);
            _assemblies[key] = assembly;
        }
        else if (assembly.Plan != plan)
        {
            return ChunkArrival.Rejected($"chunk {index} of {key} says {totalLength} bytes in {count} chunks; " +
                                         $"earlier chunks said {assembly.Plan.TotalLength} bytes in {assembly.Plan.Count}", dropped);
        }

        assembly.LastActivity = now;
        if (assembly.Received[index]) return ChunkArrival.Duplicate(dropped);
        bytes.CopyTo(assembly.Whole.AsSpan((int)plan.Offset(index)));
        assembly.Received[index] = true;
        if (++assembly.ReceivedCount < count) return ChunkArrival.Incomplete(dropped);
        _assemblies.Remove(key);
        return ChunkArrival.Complete(assembly.Whole, dropped);
    }

    /// <summary>Drops the idle messages, then the least recently active ones until a new message fits.</summary>
    private List<ChunkKey> MakeRoom(DateTime now)
    {
        var dropped = _assemblies.Where(a => now - a.Value.LastActivity >= _idleTimeout).Select(a => a.Key).ToList();
        foreach (var key in dropped) _assemblies.Remove(key);
        while (_assemblies.Count >= _maxPending)
        {
            var oldest = _assemblies.MinBy(a => a.Value.LastActivity).Key;
            _assemblies.Remove(oldest);
            dropped.Add(oldest);
        }
        return dropped;
    }

    private sealed class Assembly(ChunkPlan plan, DateTime now)
    {
        public ChunkPlan Plan { get; } = plan;
        // Every byte is written by exactly one chunk before the message is handed out.
        public byte[] Whole { get; } = GC.AllocateUninitializedArray<byte>((int)plan.TotalLength);
        public bool[] Received { get; } = new bool[plan.Count];
        public int ReceivedCount { get; set; }
        public DateTime LastActivity { get; set; } = now;
    }
}
