namespace ActorTrain.Core.Classification;

/// <summary>
/// Counts of (true class, predicted class) pairs: row = the label, column = the prediction, as scikit-learn's
/// <c>confusion_matrix</c> lays them out. Stored row-major in one array so it crosses the wire as one <c>long[]</c>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        _counts = new long[classes * classes];
    }

    private ConfusionMatrix(int classes, long[] counts)
    {
        Classes = classes;
        _counts = counts;
    }

    public int Classes { get; }

    /// <summary>A matrix from its row-major counts; the length must be a square (classes × classes) and no count negative.</summary>
    public static ConfusionMatrix FromCounts(ReadOnlySpan<long> counts)
    {
        var classes = (int)Math.Round(Math.Sqrt(counts.Length));
        if (classes == 0 || classes * classes != counts.Length)
            throw new ArgumentException($"a confusion matrix needs classes × classes counts; {counts.Length} is not a positive square", nameof(counts));
        foreach (var c in counts)
            if (c < 0) throw new ArgumentException($"a confusion matrix count cannot be negative ({c})", nameof(counts));
        return new ConfusionMatrix(classes, counts.ToArray());
    }

    public long this[int actual, int predicted] => _counts[Index(actual, predicted)];

    public long Total => _counts.Sum();

    public void Add(int actual, int predicted, long count = 1) => _counts[Index(actual, predicted)] += count;

    /// <summary>A copy of the counts, row-major.</summary>
    public long[] ToCounts() => (long[])_counts.Clone();

    /// <summary>Samples whose label is <paramref name="cls"/> (its row's sum).</summary>
    public long Support(int cls)
    {
        long sum = 0;
        for (var p = 0; p < Classes; p++) sum += this[cls, p];
        return sum;
    }

    /// <summary>Samples predicted as <paramref name="cls"/> (its column's sum).</summary>
    public long Predicted(int cls)
    {
        long sum = 0;
        for (var a = 0; a < Classes; a++) sum += this[a, cls];
        return sum;
    }

    private int Index(int actual, int predicted)
    {
        if ((uint)actual >= (uint)Classes) throw new ArgumentOutOfRangeException(nameof(actual), actual, $"classes are 0..{Classes - 1}");
        if ((uint)predicted >= (uint)Classes) throw new ArgumentOutOfRangeException(nameof(predicted), predicted, $"classes are 0..{Classes - 1}");
        return actual * Classes + predicted;
    }
}
