using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The checkpoints this coordinator instance started and waits for, with the shards' answers so far, kept only in
/// memory: a coordinator created again has lost them, and those checkpoints stay incomplete. A checkpoint is complete
/// when every shard's snapshot for it is durable.
/// </summary>
internal sealed class CheckpointReplies(int shards)
{
    private readonly Dictionary<long, long?[]> _versions = [];
    private readonly Dictionary<long, DateTime> _started = [];

    /// <summary>How many checkpoints wait for their shards.</summary>
    public int InFlight => _started.Count;

    public void Started(long checkpointId, DateTime now) => _started[checkpointId] = now;

    /// <summary>Forgets, and gives, those started more than <paramref name="after"/> before <paramref name="now"/> (an answer was lost with a restart).</summary>
    public IReadOnlyList<long> GiveUp(DateTime now, TimeSpan after)
    {
        var old = _started.Where(s => now - s.Value > after).Select(s => s.Key).ToList();
        foreach (var id in old) Forget(id);
        return old;
    }

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
    public bool Awaits(long checkpointId) => _started.ContainsKey(checkpointId);

    public void Forget(long checkpointId)
    {
        _versions.Remove(checkpointId);
        _started.Remove(checkpointId);
    }

    public void ForgetUpTo(long checkpointId)
    {
        foreach (var id in _versions.Keys.Concat(_started.Keys).Where(id => id <= checkpointId).Distinct().ToList()) Forget(id);
    }
}
