namespace ActorTrain.Torch.Data;

/// <summary>
/// A labelled set of samples, features already normalised, stored row-major: row <c>i</c> is
/// <c>Features[i * FeatureCount .. (i + 1) * FeatureCount]</c> and its class is <c>Labels[i]</c>.
/// </summary>
public sealed class LabeledSamples
{
    public LabeledSamples(string name, float[] features, byte[] labels, int featureCount, int classCount, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(shape);
        if (featureCount <= 0)
            throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, $"{name}: the feature count must be positive.");
        if (classCount is <= 0 or > 256)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"{name}: the class count must be between 1 and 256 (labels are bytes).");
        if (shape.Length == 0 || shape.Any(d => d <= 0) || shape.Aggregate(1L, (p, d) => p * d) != featureCount)
            throw new ArgumentException(
                $"{name}: the sample shape [{string.Join(",", shape)}] does not hold {featureCount} features.", nameof(shape));
        if ((long)labels.Length * featureCount != features.Length)
            throw new ArgumentException(
                $"{name}: {labels.Length} labels need {(long)labels.Length * featureCount} feature values ({featureCount} each), got {features.Length}.",
                nameof(features));
        var outOfRange = classCount == 256 ? -1 : labels.AsSpan().IndexOfAnyInRange((byte)classCount, byte.MaxValue);
        if (outOfRange >= 0)
            throw new ArgumentException(
                $"{name}: label {labels[outOfRange]} of row {outOfRange} is outside 0..{classCount - 1}.", nameof(labels));

        Name = name;
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        SampleShape = (int[])shape.Clone();
    }

    public string Name { get; }

    public float[] Features { get; }

    public byte[] Labels { get; }

    public int Count => Labels.Length;

    public int FeatureCount { get; }

    public int ClassCount { get; }

    /// <summary>The shape of one sample, e.g. [1, 28, 28] for an image, [32] for a feature vector.</summary>
    public int[] SampleShape { get; }

    /// <summary>A new set holding copies of the given rows, in the given order.</summary>
    public LabeledSamples Subset(string name, ReadOnlySpan<int> indices)
    {
        var features = new float[(long)indices.Length * FeatureCount];
        var labels = new byte[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var row = CheckedRow(indices[i]);
            Row(row).CopyTo(features.AsSpan(i * FeatureCount, FeatureCount));
            labels[i] = Labels[row];
        }
        return new LabeledSamples(name, features, labels, FeatureCount, ClassCount, SampleShape);
    }

    /// <summary>
    /// Gathers the given rows into a batch: <paramref name="features"/> receives <c>indices.Length * FeatureCount</c>
    /// values and <paramref name="labels"/> <c>indices.Length</c> classes. Longer buffers are allowed (a reused
    /// buffer for a short last batch); the rest is left untouched. Allocates nothing.
    /// </summary>
    public void CopyRows(ReadOnlySpan<int> indices, Span<float> features, Span<long> labels)
    {
        if (features.Length < (long)indices.Length * FeatureCount)
            throw new ArgumentException(
                $"{Name}: {indices.Length} rows need {(long)indices.Length * FeatureCount} feature slots, the buffer has {features.Length}.",
                nameof(features));
        if (labels.Length < indices.Length)
            throw new ArgumentException(
                $"{Name}: {indices.Length} rows need {indices.Length} label slots, the buffer has {labels.Length}.", nameof(labels));

        for (var i = 0; i < indices.Length; i++)
        {
            var row = CheckedRow(indices[i]);
            Row(row).CopyTo(features.Slice(i * FeatureCount, FeatureCount));
            labels[i] = Labels[row];
        }
    }

    public override string ToString() => $"{Name} ({Count} samples of [{string.Join(",", SampleShape)}], {ClassCount} classes)";

    private ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    private int CheckedRow(int row)
    {
        if ((uint)row >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"{Name}: row {row} is outside 0..{Count - 1}.");
        return row;
    }
}
