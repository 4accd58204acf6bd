using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Invariant 5, the part a history can show: each checkpoint recorded complete names one snapshot per shard, all at
/// the same version when taken under BSP; whether it loads and reproduces the run is asked of the loader, if given.
/// </summary>
internal static class CheckpointCheck
{
    public const int Number = 5;
    public const string Name = "complete checkpoints are whole";

    public static InvariantVerdict Check(IReadOnlyList<HistoryEvent> history, InvariantCheckOptions options)
    {
        var shardCount = options.ShardCount ?? history.Select(HighestShard).DefaultIfEmpty(-1).Max() + 1;
        var mode = options.Mode;
        var violations = new Violations();
        int complete = 0, incomplete = 0;

        foreach (var historyEvent in history)
        {
            if (historyEvent is ModeChanged changed) mode = changed.Mode;
            if (historyEvent is not CheckpointRecorded checkpoint) continue;
            if (!checkpoint.Complete)
            {
                incomplete++;
                continue;
            }
            complete++;
            var before = violations.Count;
            foreach (var twice in checkpoint.Shards.GroupBy(s => s.Shard).Where(g => g.Count() > 1))
                violations.Add($"checkpoint {checkpoint.Id} names shard {twice.Key} twice");
            foreach (var missing in Enumerable.Range(0, shardCount).Where(s => checkpoint.Shards.All(v => v.Shard != s)))
                violations.Add($"checkpoint {checkpoint.Id} is recorded complete but names no snapshot for shard {missing}");
            if (mode == ConsistencyMode.Bsp && FirstAtAnotherVersion(checkpoint) is { } odd)
            {
                var first = checkpoint.Shards[0];
                violations.Add($"checkpoint {checkpoint.Id} (BSP) has shards at different versions (shard {first.Shard} at {first.Version}, shard {odd.Shard} at {odd.Version})");
            }
            if (violations.Count == before && options.LoadCheckpoint?.Invoke(checkpoint) is { } problem)
                violations.Add($"checkpoint {checkpoint.Id} does not load: {problem}");
        }

        return violations.Verdict(Number, Name, $"{complete} complete checkpoints checked ({shardCount} shards each), {incomplete} incomplete ignored");
    }

    private static ShardVersion? FirstAtAnotherVersion(CheckpointRecorded checkpoint) =>
        checkpoint.Shards.Skip(1).Where(s => s.Version != checkpoint.Shards[0].Version).Select(s => (ShardVersion?)s).FirstOrDefault();

    private static int HighestShard(HistoryEvent historyEvent) => historyEvent switch
    {
        PushSent e => e.Shard,
        PushApplied e => e.Shard,
        PushAcked e => e.Shard,
        PushRejected e => e.Shard,
        ShardRestored e => e.Shard,
        CheckpointRecorded e => e.Shards.Select(s => s.Shard).DefaultIfEmpty(-1).Max(),
        _ => -1,
    };
}
