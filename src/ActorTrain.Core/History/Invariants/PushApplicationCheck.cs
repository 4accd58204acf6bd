using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Invariant 1: per shard, no push is applied twice, and every acked push (fresh or duplicate ack) ends up applied
/// exactly once. A restore undoes the shard's applications above its version: after a recovery the acked ones must be
/// applied again (upstream backup); after a rollback (<see cref="RestoreCause.Rollback"/>, <see cref="RunRolledBack"/>)
/// they are discarded, even when a recovery at the same start undid them first or their application was lost with a
/// killed process's unflushed tail (their ack's version is above the rollback's). A push that BSP acked as superseded
/// (another copy of its micro-batch filled the step) need not be applied.
/// <para>
/// A process killed before it flushed loses its last events. The checker sees fewer events, never invented ones: a lost
/// ack is one fewer push to check. Lost applications would read as acked pushes never applied, so shards flush before
/// every snapshot they write: whatever a restore keeps is on disk, and what it undoes is replayed and recorded again.
/// </para>
/// </summary>
internal static class PushApplicationCheck
{
    public const int Number = 1;
    public const string Name = "no push applied twice";

    public static InvariantVerdict Check(IReadOnlyList<HistoryEvent> history)
    {
        var live = new Dictionary<(int Shard, PushId Push), PushApplied>();
        var undone = new Dictionary<(int Shard, PushId Push), (PushApplied Applied, ShardRestored By)>();
        var acks = new Dictionary<(int Shard, PushId Push), (int Index, PushAcked Ack)>();
        var superseded = new HashSet<(int Shard, PushId Push)>();
        var violations = new Violations();
        long twice = 0, duplicateAcks = 0, rejected = 0, undoneCount = 0;

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
                        undone.Remove((applied.Shard, applied.Push));
                    }
                    break;
                case PushAcked ack:
                    if (ack.Duplicate) duplicateAcks++;
                    acks.TryAdd((ack.Shard, ack.Push), (i, ack));
                    break;
                case PushRejected rejection:
                    rejected++;
                    if (rejection.Superseded) superseded.Add((rejection.Shard, rejection.Push));
                    break;
                case ShardRestored restored:
                    Restore(restored);
                    break;
                case RunRolledBack rolledBack:
                    foreach (var shard in rolledBack.Shards) Restore(new ShardRestored(shard.Shard, shard.Version, RestoreCause.Rollback));
                    break;
            }
        }

        foreach (var (key, (_, ack)) in acks.OrderBy(a => a.Value.Index))
        {
            if (live.ContainsKey(key) || superseded.Contains(key)) continue;
            violations.Add(undone.TryGetValue(key, out var lost)
                ? $"push {ack.Push} acked at shard {ack.Shard} (version {ack.Version}) but its application was undone by a restore to version {lost.By.Version} and never redone"
                : $"push {ack.Push} acked at shard {ack.Shard} (version {ack.Version}) but never applied");
        }

        return violations.Verdict(Number, Name,
            $"{live.Count} pushes applied, {twice} duplicates applied, {duplicateAcks} duplicate deliveries acked without applying, "
            + $"{rejected} rejected, {undoneCount} applications undone by restores");

        void Restore(ShardRestored restored)
        {
            foreach (var key in live.Keys.Where(k => k.Shard == restored.Shard && live[k].VersionAfter > restored.Version).ToArray())
            {
                undone[key] = (live[key], restored);
                live.Remove(key);
                undoneCount++;
            }
            if (restored.Cause != RestoreCause.Rollback) return;
            foreach (var (key, _) in undone.Where(u => u.Key.Shard == restored.Shard && u.Value.Applied.VersionAfter > restored.Version).ToArray())
            {
                undone.Remove(key);
                acks.Remove(key);
            }
            // Acked above the version rolled back to: applied above it, whether or not that application reached the history
            // (a killed process's unflushed tail), and discarded all the same.
            foreach (var (key, _) in acks.Where(a => a.Key.Shard == restored.Shard && a.Value.Ack.Version > restored.Version).ToArray())
                acks.Remove(key);
        }
    }
}
