using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → coordinator, the answer to <see cref="SetLearningRates"/>: the shard holds the first <see cref="Count"/>
/// changes, at version <see cref="Version"/>, in a snapshot (<see cref="Durable"/>) or, after a failed write, only in memory.
/// A repeat of a list the shard already holds is answered at once, with <see cref="Durable"/> false (the first answer said).
/// </summary>
[MessagePackObject]
public sealed record LearningRatesSet(
    [property: Key(0)] int ShardId,
    [property: Key(1)] int Count,
    [property: Key(2)] long Version,
    [property: Key(3)] bool Durable) : IWireMessage;
