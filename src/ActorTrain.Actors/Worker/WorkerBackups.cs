using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Durability;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// A worker's upstream backups in this process, one per incarnation. A worker actor that throws is restarted by its
/// supervisor as a new incarnation, and what the old one's backup held must outlive it: a shard that crashes soon after
/// is given back that incarnation's pushes too (found by the chaos soak: a worker actor and a shard crashed together, and
/// the pushes the shard had acked to the dead incarnation since its snapshot were lost). A backup leaves when shard
/// snapshots cover all it holds. A worker process that dies takes its backups with it: a new process starts empty.
/// </summary>
public sealed class WorkerBackups
{
    private readonly SortedDictionary<long, UpstreamBackup<PushGradients>> _byIncarnation = [];

    /// <summary>The backup of a new incarnation; those of earlier ones stay until snapshots cover them.</summary>
    public UpstreamBackup<PushGradients> Open(long incarnation, int shards, long maxBytes)
    {
        lock (_byIncarnation)
        {
            foreach (var old in _byIncarnation.Where(b => b.Value.Count == 0).Select(b => b.Key).ToList()) _byIncarnation.Remove(old);
            return _byIncarnation[incarnation] = new UpstreamBackup<PushGradients>(shards, maxBytes);
        }
    }

    /// <summary>A divergence rollback: every push held was made on diverged weights, and the shards refuse them now; all go.</summary>
    public void DropAll()
    {
        lock (_byIncarnation) _byIncarnation.Clear();
    }

    /// <summary>Drops what a shard's fallback snapshot covers of <paramref name="row"/>'s incarnation; returns how many.</summary>
    public int Release(int shard, DedupRow row)
    {
        lock (_byIncarnation)
            return _byIncarnation.TryGetValue(row.Incarnation, out var backup) ? backup.Release(shard, row.Watermark, row.AppliedAboveWatermark) : 0;
    }

    /// <summary>What to send again to a shard that restarted, every incarnation's, oldest incarnation first.</summary>
    public IReadOnlyList<PushGradients> ToReplay(int shard)
    {
        lock (_byIncarnation) return [.. _byIncarnation.Values.SelectMany(b => b.ToReplay(shard))];
    }
}
