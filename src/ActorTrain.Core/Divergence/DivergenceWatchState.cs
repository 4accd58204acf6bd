using ActorTrain.Core.Data;

namespace ActorTrain.Core.Divergence;

/// <summary>
/// What <see cref="DivergenceWatch"/> remembers: each detector's state, and the trouble under way (the update of its
/// first suspect report and the micro-batches reported since), null and empty once enough healthy reports ended it.
/// </summary>
public sealed record DivergenceWatchState(NonFiniteState NonFinite, SpikeState Loss, SpikeState Gradient, long? TroubleStartedAt,
    IReadOnlyList<MicroBatchId> Window)
{
    public static DivergenceWatchState Initial { get; } = new(NonFiniteState.Initial, SpikeState.Initial, SpikeState.Initial, null, []);

    /// <summary>Healthy reports in a row since the trouble's last suspect one.</summary>
    public int Calm { get; init; }
}
