using ActorTrain.Core.Durability;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>Where a shard keeps its snapshots (its persistence id) and when it takes them.</summary>
public sealed record ShardDurability(string PersistenceId, SnapshotPolicy Policy)
{
    public static string PersistenceIdFor(string runId, int shardId) => string.IsNullOrEmpty(runId) ? $"shard-{shardId}" : $"{runId}/shard-{shardId}";
}
