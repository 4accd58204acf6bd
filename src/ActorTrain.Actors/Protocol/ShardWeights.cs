using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Shard → puller: the shard's weights at <see cref="Version"/> (updates applied so far).</summary>
[MessagePackObject]
public sealed record ShardWeights(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long Version,
    [property: Key(2)] TensorPayload Weights,
    [property: Key(3)] long PullId = 0) : IWireMessage;
