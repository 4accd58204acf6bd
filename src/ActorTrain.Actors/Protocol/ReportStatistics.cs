using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → shard, at the end of a job: send your counters. Reply: <see cref="ShardStatistics"/>.</summary>
[MessagePackObject]
public sealed record ReportStatistics([property: Key(0)] int ShardId) : IShardMessage;
