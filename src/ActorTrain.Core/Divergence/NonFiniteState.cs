using System.Collections.Immutable;

namespace ActorTrain.Core.Divergence;

/// <summary>What <see cref="NonFiniteCounter"/> remembers: how many reports it has seen, and the non-finite ones among the last window (by report number).</summary>
public sealed record NonFiniteState(long Reports, ImmutableArray<(long Report, MetricSample Sample)> NonFinite)
{
    public static NonFiniteState Initial { get; } = new(0, []);
}
