namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>Which number of an <see cref="Evaluation"/> a policy watches.</summary>
public enum WatchedMetric
{
    ValidationLoss,
    ValidationAccuracy,
}
