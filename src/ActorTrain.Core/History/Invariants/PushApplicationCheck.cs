using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Invariant 1: per shard, no push is applied twice, and every acked push (fresh or duplicate ack) ends up applied
/// exactly once. A restore undoes the shard's applications above its version: after a recovery the acked ones must be
/// applied again (upstream backup); after a rollback they may stay discarded.
/// </summary>
internal static class PushApplicationCheck
{
    public const int Number = 1;
    public const string Name = "no push applied twice";

    public static InvariantVerdict Check(IReadOnlyList<HistoryEvent> history)
    {
        var live = new Dictionary<(int Shard, PushId Push), PushApplied>();
        var undoneBy = new Dictionary<(int Shard, PushId Push), ShardRestored>();
        var acks = new Dictionary<(int Shard, PushId Push), (int Index, PushAcked Ack)>();
        var violations = new Violations();
        long twice = 0, duplicateAcks = 0, rejected = 0, undone = 0;

        for (var i = 0; i < history.Count; i++)
        {
            switch (history[i])
            {
                case PushApplied applied:
                    if (live.TryGetValue((applied.Shard, applied.Push), out var earlier))
                    {
                        twice++;
                        violations.Add($"push {applied.Push} applied twice at shard {applied.Shard} (versions {earlier.VersionAfter} and {applied.VersionAfter})");
                    }
                    else
                    {
                        live[(applied.Shard, applied.Push)] = applied;
                    }
                    break;
                case PushAcked ack:
                    if (ack.Duplicate) duplicateAcks++;
                    acks.TryAdd((ack.Shard, ack.Push), (i, ack));
                    break;
                case PushRejected:
                    rejected++;
                    break;
                case ShardRestored restored:
                    foreach (var key in live.Keys.Where(k => k.Shard == restored.Shard && live[k].VersionAfter > restored.Version).ToArray())
                    {
                        live.Remove(key);
                        undone++;
                        if (restored.Cause == RestoreCause.Rollback) acks.Remove(key);
                        else undoneBy[key] = restored;
                    }
                    break;
            }
        }

        foreach (var (key, (_, ack)) in acks.OrderBy(a => a.Value.Index))
        {
            if (live.ContainsKey(key)) continue;
            violations.Add(undoneBy.TryGetValue(key, out var restore)
                ? $"push {ack.Push} acked at shard {ack.Shard} (version {ack.Version}) but its application was undone by a restore to version {restore.Version} and never redone"
                : $"push {ack.Push} acked at shard {ack.Shard} (version {ack.Version}) but never applied");
        }

        return violations.Verdict(Number, Name,
            $"{live.Count} pushes applied, {twice} duplicates applied, {duplicateAcks} duplicate deliveries acked without applying, "
            + $"{rejected} rejected, {undone} applications undone by restores");
    }
}
