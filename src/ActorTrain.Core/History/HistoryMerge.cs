namespace ActorTrain.Core.History;

/// <summary>Merges the histories of several processes into one.</summary>
public static class HistoryMerge
{
    /// <summary>
    /// All events ordered by time, ties broken by process name and then sequence. Because a recorder's timestamps
    /// never go backwards, each process's own order is kept; the order between processes is only as good as their clocks.
    /// </summary>
    public static IReadOnlyList<HistoryEvent> Merge(IEnumerable<IEnumerable<HistoryEvent>> histories) =>
        [.. histories.SelectMany(h => h)
            .OrderBy(e => e.At)
            .ThenBy(e => e.Process, StringComparer.Ordinal)
            .ThenBy(e => e.Sequence)];
}
