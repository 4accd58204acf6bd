namespace ActorTrain.Core.DataQuality;

/// <summary>The data check's findings: per split, then per pair of splits.</summary>
public sealed record DataQualityReport(IReadOnlyList<SplitQuality> Splits, IReadOnlyList<CrossSplitOverlap> Overlaps)
{
    /// <summary>Records a training run cannot use as they are: labels outside the classes or values out of range.</summary>
    public int InvalidRecords => Splits.Sum(s => s.OutOfRangeLabels + s.OutOfRangeValues);
}
