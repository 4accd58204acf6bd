namespace ActorTrain.Core.History;

/// <summary>
/// The coordinator recorded checkpoint <paramref name="Id"/>: the shard snapshots it names, and whether it is complete
/// (only a complete checkpoint may be loaded). Equal when the snapshots are equal in order, not only the same list.
/// </summary>
public sealed record CheckpointRecorded(long Id, IReadOnlyList<ShardVersion> Shards, bool Complete) : HistoryEvent
{
    public bool Equals(CheckpointRecorded? other) =>
        other is not null && base.Equals(other) && Id == other.Id && Complete == other.Complete && Shards.SequenceEqual(other.Shards);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Id, Complete, Shards.Count);
}
