namespace ActorTrain.Chaos.Soak;

/// <summary>
/// A soak: <see cref="Count"/> scenarios generated from <see cref="Seed"/>, stopped early when <see cref="Budget"/> runs out;
/// <see cref="ProcessesShare"/> of them with real processes and signals, the rest in one process.
/// </summary>
public sealed record SoakOptions(int Count, long Seed)
{
    public TimeSpan? Budget { get; init; }
    public bool Shrink { get; init; }
    public double ProcessesShare { get; init; } = 0.2;
}
