using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → shard: every learning-rate change of the run so far, in the order they were persisted (idempotent:
/// the coordinator sends the whole list whenever it grows, when it starts, and again every few seconds). A shard applies
/// at each version the rate <see cref="Core.Hyperparameters.EffectiveLearningRate"/> gives for the list, keeps the list in
/// its snapshots, and replies <see cref="LearningRatesSet"/> once a snapshot holding a new list is written (at once for a
/// list it already holds).
/// </summary>
[MessagePackObject]
public sealed record SetLearningRates(
    [property: Key(0)] int ShardId,
    [property: Key(1)] LearningRateChanged[] Changes) : IShardMessage;
