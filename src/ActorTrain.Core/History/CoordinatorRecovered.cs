using ActorTrain.Core.Data;

namespace ActorTrain.Core.History;

/// <summary>
/// A coordinator was created again while its job ran (a standby took over from a dead head, or its actor restarted) and
/// replayed its journal to this ledger position: every micro-batch before <paramref name="Cursor"/> committed except
/// <paramref name="NotDone"/>. Nothing is undone. The journal is the authority: a commit it holds that the lost
/// coordinator's history never flushed counts as made.
/// </summary>
public sealed record CoordinatorRecovered(MicroBatchId Cursor, IReadOnlyList<MicroBatchId> NotDone) : HistoryEvent
{
    /// <summary>Whether the journal held <paramref name="id"/> as committed.</summary>
    public bool Holds(MicroBatchId id) => id.CompareTo(Cursor) < 0 && !NotDone.Contains(id);

    public bool Equals(CoordinatorRecovered? other) =>
        other is not null && base.Equals(other) && Cursor == other.Cursor && NotDone.SequenceEqual(other.NotDone);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Cursor, NotDone.Count);
}
