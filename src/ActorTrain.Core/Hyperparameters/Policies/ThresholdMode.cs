namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>ReduceLROnPlateau's threshold_mode: how far past the best a value must be to count as better.</summary>
public enum ThresholdMode
{
    /// <summary>rel: better than best * (1 - threshold) in min mode, best * (1 + threshold) in max mode.</summary>
    Relative,

    /// <summary>abs: better than best - threshold in min mode, best + threshold in max mode.</summary>
    Absolute,
}
