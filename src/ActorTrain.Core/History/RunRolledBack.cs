using ActorTrain.Core.Data;

namespace ActorTrain.Core.History;

/// <summary>
/// A resumed run went back to checkpoint <paramref name="CheckpointId"/> (0: none was complete, back to the start): each
/// shard to its version there (a rollback: the pushes it undoes are discarded), and the ledger to the checkpoint's
/// position (every micro-batch before <paramref name="Cursor"/> committed except <paramref name="NotDone"/>; commits of
/// the others are undone, to be made again). The coordinator's journal is the authority for the position: a commit it
/// counts that the stopped session's history lost with its unflushed tail counts as made.
/// </summary>
public sealed record RunRolledBack(long CheckpointId, IReadOnlyList<ShardVersion> Shards, MicroBatchId Cursor, IReadOnlyList<MicroBatchId> NotDone)
    : HistoryEvent
{
    /// <summary>Whether the rollback undoes <paramref name="id"/>'s commit: it is at or after the cursor, or not done at the position.</summary>
    public bool Undoes(MicroBatchId id) =>
        id.CompareTo(Cursor) >= 0 || NotDone.Contains(id);

    public bool Equals(RunRolledBack? other) =>
        other is not null && base.Equals(other) && CheckpointId == other.CheckpointId && Cursor == other.Cursor
        && Shards.SequenceEqual(other.Shards) && NotDone.SequenceEqual(other.NotDone);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), CheckpointId, Cursor, Shards.Count, NotDone.Count);
}
