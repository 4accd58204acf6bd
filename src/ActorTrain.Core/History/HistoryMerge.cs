namespace ActorTrain.Core.History;

/// <summary>Merges the histories of several processes into one.</summary>
public static class HistoryMerge
{
    /// <summary>
    /// All events ordered by time, ties broken by process name and then sequence. Because a recorder's timestamps
    /// never go backwards, each process's own order is kept; the order between processes is only as good as their clocks.
    /// An event found twice (the same process and sequence: a flush retried after a write that failed halfway) counts once.
    /// </summary>
    public static IReadOnlyList<HistoryEvent> Merge(IEnumerable<IEnumerable<HistoryEvent>> histories) =>
        [.. histories.SelectMany(h => h)
            .DistinctBy(e => (e.Process, e.Sequence))
            .OrderBy(e => e.At)
            .ThenBy(e => e.Process, StringComparer.Ordinal)
            .ThenBy(e => e.Sequence)];
}
