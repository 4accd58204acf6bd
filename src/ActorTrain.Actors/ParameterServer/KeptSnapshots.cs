using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// The snapshots a shard knows to be whole, newest last: those it wrote, and the one it recovered from (or its initial
/// weights, sequence number 0, when it has none). The oldest of them is its fallback: the snapshot it loads when every newer
/// one turns out damaged. The workers keep every push the fallback does not cover, and the store keeps the fallback and
/// everything newer. Counting only whole snapshots matters: a damaged one found at recovery stays in the store, and
/// counting it among those kept left a shard whose next snapshot was damaged too with nothing whole to fall back to
/// (found by the chaos soak: two corrupt-snapshot faults on one shard lost acked pushes).
/// </summary>
public sealed class KeptSnapshots(int keep)
{
    private readonly List<(long SequenceNr, IReadOnlyList<DedupRow> Covered)> _whole = [(0, [])];

    /// <summary>The snapshot the shard falls back to: what it covers may leave the workers' backups, what is older the store.</summary>
    public (long SequenceNr, IReadOnlyList<DedupRow> Covered) Fallback => _whole[0];

    /// <summary>Recovery loaded snapshot <paramref name="sequenceNr"/>: the only whole one this instance knows of.</summary>
    public void Loaded(long sequenceNr, IReadOnlyList<DedupRow> covered)
    {
        _whole.Clear();
        _whole.Add((sequenceNr, covered));
    }

    /// <summary>What <paramref name="fallback"/> covers of the incarnation of <paramref name="row"/>: its row there, or nothing (watermark 0).</summary>
    public static DedupRow CoveredOf(IReadOnlyList<DedupRow> fallback, DedupRow row) =>
        fallback.FirstOrDefault(f => f.WorkerId == row.WorkerId && f.Incarnation == row.Incarnation) ?? new DedupRow(row.WorkerId, row.Incarnation, 0, []);

    /// <summary>Snapshot <paramref name="sequenceNr"/> is written; returns the fallback now.</summary>
    public (long SequenceNr, IReadOnlyList<DedupRow> Covered) Saved(long sequenceNr, IReadOnlyList<DedupRow> covered)
    {
        _whole.Add((sequenceNr, covered));
        while (_whole.Count > Math.Max(1, keep)) _whole.RemoveAt(0);
        return Fallback;
    }
}
