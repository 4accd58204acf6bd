namespace ActorTrain.Core.Hyperparameters;

/// <summary>PyTorch's StepLR in closed form: the rate is multiplied by <see cref="Gamma"/> once every <see cref="StepSize"/> updates.</summary>
public sealed record StepDecay(long StepSize = 1000, double Gamma = 0.1)
{
    /// <summary>The rate <paramref name="updates"/> updates after the decay began.</summary>
    public double At(double baseRate, long updates) => baseRate * Math.Pow(Gamma, updates / Math.Max(1, StepSize));
}
