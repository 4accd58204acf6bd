namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>What <see cref="EarlyStopping"/> remembers: the best evaluation so far, how many came after it without improving, and whether it stopped.</summary>
public sealed record EarlyStoppingState(Evaluation? Best, int SinceBest, bool Stopped)
{
    public static EarlyStoppingState Initial { get; } = new(null, 0, false);
}
