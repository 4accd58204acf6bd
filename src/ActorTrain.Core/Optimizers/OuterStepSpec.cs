namespace ActorTrain.Core.Optimizers;

/// <summary>
/// An outer step (<see cref="OuterStep"/>): its learning rate, its Nesterov momentum (0: none) and how many pushes make
/// one step (N, at least 1).
/// </summary>
public sealed record OuterStepSpec(double LearningRate, double Momentum, int PushesPerStep)
{
    public int PushesPerStep { get; } = PushesPerStep >= 1
        ? PushesPerStep
        : throw new ArgumentOutOfRangeException(nameof(PushesPerStep), PushesPerStep, "an outer step takes at least one push");
}
