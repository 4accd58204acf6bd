namespace ActorTrain.Core.Parameters;

/// <summary>
/// How the flat parameter vector is cut into S contiguous shards: sizes differ by at most one element,
/// the larger shards first, and the ranges cover the vector exactly, in order.
/// </summary>
public sealed class ShardLayout
{
    private readonly ShardRange[] _ranges;

    private ShardLayout(int totalLength, ShardRange[] ranges)
    {
        TotalLength = totalLength;
        _ranges = ranges;
    }

    public int TotalLength { get; }
    public int ShardCount => _ranges.Length;
    public IReadOnlyList<ShardRange> Ranges => _ranges;
    public ShardRange this[int shardId] => _ranges[shardId];

    public static ShardLayout Balanced(int totalLength, int shardCount)
    {
        if (shardCount < 1) throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "at least one shard is needed");
        if (totalLength < shardCount)
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, $"more shards than the {totalLength} parameters to put in them");
        var ranges = new ShardRange[shardCount];
        int baseSize = totalLength / shardCount, remainder = totalLength % shardCount, start = 0;
        for (var s = 0; s < shardCount; s++)
        {
            var length = baseSize + (s < remainder ? 1 : 0);
            ranges[s] = new ShardRange(s, start, length);
            start += length;
        }
        return new ShardLayout(totalLength, ranges);
    }

    /// <summary>The shard holding flat element <paramref name="index"/>.</summary>
    public int ShardOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, TotalLength);
        int lo = 0, hi = _ranges.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_ranges[mid].Start <= index) lo = mid; else hi = mid - 1;
        }
        return lo;
    }
}
