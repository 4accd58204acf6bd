namespace ActorTrain.Core.DataQuality;

/// <summary>
/// The data-quality report over a dataset's splits: label balance, out-of-range labels and values, and exact
/// (byte-for-byte) duplicate records within each split and across each pair of splits. Records are grouped by
/// content with a hash, and equal hashes are confirmed by comparing the bytes, so a reported duplicate is exact.
/// </summary>
public static class DataQualityCheck
{
    public static DataQualityReport Run(IReadOnlyList<SplitRecords> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        var groups = new Dictionary<RecordKey, List<RecordKey>>(new ContentComparer(splits));
        for (var s = 0; s < splits.Count; s++)
            for (var row = 0; row < splits[s].Count; row++)
            {
                var key = new RecordKey(s, row);
                if (groups.TryGetValue(key, out var members)) members.Add(key);
                else groups[key] = [key];
            }

        var duplicateGroups = new int[splits.Count];
        var duplicateCopies = new int[splits.Count];
        var conflicting = new int[splits.Count];
        var shared = new int[splits.Count, splits.Count];
        var sharedConflicting = new int[splits.Count, splits.Count];
        foreach (var members in groups.Values.Where(m => m.Count > 1))
        {
            var bySplit = members.GroupBy(m => m.Split).ToDictionary(g => g.Key, g => g.Select(m => splits[m.Split].Labels[m.Row]).ToList());
            foreach (var (split, labels) in bySplit)
            {
                if (labels.Count < 2) continue;
                duplicateGroups[split]++;
                duplicateCopies[split] += labels.Count - 1;
                if (labels.Distinct().Count() > 1) conflicting[split]++;
            }
            foreach (var a in bySplit.Keys)
                foreach (var b in bySplit.Keys.Where(b => b > a))
                {
                    shared[a, b]++;
                    if (bySplit[a].Concat(bySplit[b]).Distinct().Count() > 1) sharedConflicting[a, b]++;
                }
        }

        var qualities = splits.Select((split, s) => new SplitQuality(split.Name, split.Count, LabelCounts(split), OutOfRange(split),
            split.OutOfRangeValueRows.Length, duplicateGroups[s], duplicateCopies[s], conflicting[s])).ToList();
        var overlaps = new List<CrossSplitOverlap>();
        for (var a = 0; a < splits.Count; a++)
            for (var b = a + 1; b < splits.Count; b++)
                overlaps.Add(new CrossSplitOverlap(splits[a].Name, splits[b].Name, shared[a, b], sharedConflicting[a, b]));
        return new DataQualityReport(qualities, overlaps);
    }

    private static long[] LabelCounts(SplitRecords split)
    {
        var counts = new long[split.ClassCount];
        foreach (var label in split.Labels)
            if ((uint)label < (uint)split.ClassCount) counts[label]++;
        return counts;
    }

    private static int OutOfRange(SplitRecords split) => split.Labels.Count(l => (uint)l >= (uint)split.ClassCount);

    private readonly record struct RecordKey(int Split, int Row);

    private sealed class ContentComparer(IReadOnlyList<SplitRecords> splits) : IEqualityComparer<RecordKey>
    {
        public bool Equals(RecordKey x, RecordKey y) => Bytes(x).SequenceEqual(Bytes(y));

        public int GetHashCode(RecordKey key)
        {
            var hash = new HashCode();
            hash.AddBytes(Bytes(key));
            return hash.ToHashCode();
        }

        private ReadOnlySpan<byte> Bytes(RecordKey key) => splits[key.Split].Record(key.Row);
    }
}
