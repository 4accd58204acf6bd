using System.Collections.Immutable;

namespace ActorTrain.Core.Divergence;

/// <summary>
/// What <see cref="SpikeDetector"/> remembers: the last finite values that were not spikes (oldest first), and how
/// many reports in a row have been spikes since.
/// </summary>
public sealed record SpikeState(ImmutableArray<double> Recent, int Spikes)
{
    public static SpikeState Initial { get; } = new([], 0);
}
