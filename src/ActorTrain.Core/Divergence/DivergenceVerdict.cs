using ActorTrain.Core.Data;

namespace ActorTrain.Core.Divergence;

/// <summary>
/// What <see cref="DivergenceWatch"/> concluded after a report. <see cref="Diverged"/>: roll back. Then
/// <see cref="TroubleStartedAt"/> is the update of the first suspect report of the trouble (the rollback goes to a
/// checkpoint before it) and <see cref="Window"/> the micro-batches reported from it to this one, in report order: the
/// ones to skip.
/// </summary>
public sealed record DivergenceVerdict(bool Diverged, bool Suspect, string Reason, long TroubleStartedAt, IReadOnlyList<MicroBatchId> Window)
{
    public static DivergenceVerdict Healthy(string reason) => new(false, false, reason, 0, []);
}
