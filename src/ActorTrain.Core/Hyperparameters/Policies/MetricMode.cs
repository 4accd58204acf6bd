namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>Whether lower (a loss) or higher (an accuracy) is better; PyTorch's and Keras's <c>mode</c>.</summary>
public enum MetricMode
{
    Min,
    Max,
}
