namespace ActorTrain.Core.Consistency;

/// <summary>Counts of observed staleness values (0, 1, 2, …); mergeable across shards.</summary>
public sealed class StalenessHistogram
{
    private readonly List<long> _counts = [];

    public IReadOnlyList<long> Counts => _counts;
    public long Total { get; private set; }
    public long Max => _counts.Count - 1;

    public void Record(long staleness)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(staleness);
        if (staleness > 1_000_000) staleness = 1_000_000;
        while (_counts.Count <= staleness) _counts.Add(0);
        _counts[(int)staleness]++;
        Total++;
    }

    public double Mean => Total == 0 ? 0 : _counts.Select((c, s) => (double)c * s).Sum() / Total;

    public static StalenessHistogram From(IEnumerable<long> counts)
    {
        var histogram = new StalenessHistogram();
        var s = 0;
        foreach (var count in counts)
        {
            while (histogram._counts.Count <= s) histogram._counts.Add(0);
            histogram._counts[s] += count;
            histogram.Total += count;
            s++;
        }
        while (histogram._counts.Count > 0 && histogram._counts[^1] == 0) histogram._counts.RemoveAt(histogram._counts.Count - 1);
        return histogram;
    }

    public StalenessHistogram Merge(StalenessHistogram other) =>
        From(Enumerable.Range(0, Math.Max(_counts.Count, other._counts.Count))
            .Select(i => (i < _counts.Count ? _counts[i] : 0) + (i < other._counts.Count ? other._counts[i] : 0)));
}
