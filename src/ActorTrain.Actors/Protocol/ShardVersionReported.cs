using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Shard → coordinator, the answer to <see cref="ReportVersion"/>: the updates it has applied. No reply.</summary>
[MessagePackObject]
public sealed record ShardVersionReported([property: Key(0)] int ShardId, [property: Key(1)] long Version) : IWireMessage;
