namespace ActorTrain.Core.Wire;

/// <summary>
/// How a message of <see cref="TotalLength"/> bytes is cut into <see cref="Count"/> contiguous chunks of near-equal
/// length (they differ by at most one byte). The cut follows from the length and the count alone, so a receiver
/// checks each chunk's length and places it without being told its offset.
/// </summary>
public readonly record struct ChunkPlan
{
    public ChunkPlan(long totalLength, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count > Math.Max(1, totalLength))
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{totalLength} bytes cannot make {count} non-empty chunks");
        TotalLength = totalLength;
        Count = count;
    }

    public long TotalLength { get; }

    public int Count { get; }

    /// <summary>The fewest chunks of at most <paramref name="maxChunkBytes"/> bytes each (one, empty, for an empty message).</summary>
    public static ChunkPlan For(long totalLength, int maxChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkBytes, 1);
        var count = Math.Max(1, (totalLength + maxChunkBytes - 1) / maxChunkBytes);
        if (count > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(totalLength), totalLength, $"more than {int.MaxValue} chunks");
        return new ChunkPlan(totalLength, (int)count);
    }

    /// <summary>Null when (<paramref name="totalLength"/>, <paramref name="count"/>) is a possible plan; otherwise why not.</summary>
    public static string? Problem(long totalLength, int count) =>
        totalLength < 0 ? $"a message of {totalLength} bytes"
        : count < 1 || count > Math.Max(1, totalLength) ? $"{totalLength} bytes cut into {count} chunks"
        : null;

    public long Offset(int index) => Bounds(index).Offset;

    public int Length(int index) => Bounds(index).Length;

    private (long Offset, int Length) Bounds(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        // floor(i·L/n): with L < 2^31 (a byte array) and n ≤ L the product stays far below 2^63.
        var start = index * TotalLength / Count;
        var end = (index + 1L) * TotalLength / Count;
        return (start, (int)(end - start));
    }
}
