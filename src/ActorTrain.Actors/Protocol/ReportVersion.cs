using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → shard, on a switch to BSP once every micro-batch is committed: which version are you at? Reply:
/// <see cref="ShardVersionReported"/>. The asynchronous modes leave shards at different versions; BSP starts them all at the highest.
/// </summary>
[MessagePackObject]
public sealed record ReportVersion([property: Key(0)] int ShardId) : IShardMessage;
