namespace ActorTrain.Core.Hyperparameters;

/// <summary>How <see cref="OneCycleShape"/> moves between two rates within a phase (OneCycleLR's anneal_strategy).</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine from the start to the end rate.</summary>
    Cos,

    /// <summary>A straight line from the start to the end rate.</summary>
    Linear,
}
