using ActorTrain.Core.Hyperparameters.Policies;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: an evaluation its policies judged (<see cref="Coordinator.TrainingControl"/>), at update
/// <see cref="Update"/>. The evaluations in journal order, with the <see cref="LearningRateChanged"/> events, are all a
/// recovered coordinator needs to replay its policies to the same state.
/// </summary>
[MessagePackObject]
public sealed record EvaluationRecorded(
    [property: Key(0)] long Update,
    [property: Key(1)] long Version,
    [property: Key(2)] double ValidationLoss,
    [property: Key(3)] double ValidationAccuracy,
    [property: Key(4)] long AtUnixMilliseconds) : ICoordinatorEvent
{
    [IgnoreMember]
    public Evaluation Evaluation => new(Update, DateTimeOffset.FromUnixTimeMilliseconds(AtUnixMilliseconds), ValidationLoss, ValidationAccuracy);
}
