namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// The rate multiplied by <see cref="Gamma"/> per <see cref="Every"/> updates: smoothly, base * gamma^(u / every), or with
/// <see cref="Staircase"/> only at each multiple of every. With every = 1 both are PyTorch's ExponentialLR stepped per update.
/// </summary>
public sealed record ExponentialDecay(double Gamma = 0.999, long Every = 1, bool Staircase = false)
{
    /// <summary>The rate <paramref name="updates"/> updates after the decay began.</summary>
    public double At(double baseRate, long updates)
    {
        var every = Math.Max(1, Every);
        var exponent = Staircase ? updates / every : (double)updates / every;
        return baseRate * Math.Pow(Gamma, exponent);
    }
}
