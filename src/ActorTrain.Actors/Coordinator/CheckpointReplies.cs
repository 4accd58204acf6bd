using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The shards' answers to the checkpoints in progress, kept only in memory: a coordinator created again has lost them,
/// and those checkpoints stay incomplete until a newer one is recorded. A checkpoint is complete when every shard's
/// snapshot for it is durable.
/// </summary>
internal sealed class CheckpointReplies(int shards)
{
    private readonly Dictionary<long, long?[]> _versions = [];

    /// <summary>Notes a shard's snapshot; gives every shard's version once all are in, else null.</summary>
    public long[]? Taken(CheckpointTaken taken)
    {
        if (taken.ShardId < 0 || taken.ShardId >= shards) return null;
        if (!_versions.TryGetValue(taken.CheckpointId, out var versions)) _versions[taken.CheckpointId] = versions = new long?[shards];
        versions[taken.ShardId] = taken.Version;
        if (versions.Any(v => v is null)) return null;
        _versions.Remove(taken.CheckpointId);
        return [.. versions.Select(v => v!.Value)];
    }

    /// <summary>Forgets a checkpoint that can no longer complete (a shard refused it, or a newer one was recorded).</summary>
    public void Forget(long checkpointId) => _versions.Remove(checkpointId);

    public void ForgetUpTo(long checkpointId)
    {
        foreach (var id in _versions.Keys.Where(id => id <= checkpointId).ToList()) _versions.Remove(id);
    }
}
