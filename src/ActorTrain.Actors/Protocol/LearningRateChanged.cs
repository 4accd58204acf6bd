using ActorTrain.Core.Hyperparameters;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → shards (in <see cref="SetLearningRates"/>) and job observer: from update
/// <see cref="AtUpdate"/> (a shard's version) on, the learning rate is multiplied by <see cref="Value"/>, or
/// (<see cref="Absolute"/>) becomes <see cref="Value"/>, which the schedule then goes on shaping. <see cref="Source"/> says
/// who decided (<see cref="Policy"/> or <see cref="Ctl"/>), <see cref="Reason"/> why; <see cref="AfterEvaluations"/> is the
/// number of evaluations the policies had judged when it was made (what a replay needs), and <see cref="Rate"/> the rate
/// in force from it, for people.
/// </summary>
[MessagePackObject]
public sealed record LearningRateChanged(
    [property: Key(0)] long AtUpdate,
    [property: Key(1)] double Value,
    [property: Key(2)] bool Absolute,
    [property: Key(3)] string Source,
    [property: Key(4)] string Reason,
    [property: Key(5)] int AfterEvaluations,
    [property: Key(6)] double Rate) : ICoordinatorEvent
{
    public const string Policy = "policy";
    public const string Ctl = "ctl";

    /// <summary>A divergence rollback's factor (<see cref="RolledBack"/>).</summary>
    public const string Divergence = "divergence";

    [IgnoreMember]
    public RateChange Change => new(AtUpdate, Value, Absolute, Reason);
}
