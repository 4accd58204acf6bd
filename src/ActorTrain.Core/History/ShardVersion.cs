namespace ActorTrain.Core.History;

/// <summary>One shard's snapshot in a checkpoint: the shard and the version it holds.</summary>
public readonly record struct ShardVersion(int Shard, long Version);
