namespace ActorTrain.Core.Divergence;

/// <summary>
/// A detector's verdict after one report: <see cref="Diverged"/> when the run should be rolled back, and
/// <see cref="Suspect"/> when this report looked wrong but not yet for long enough; with the reason either way.
/// </summary>
public sealed record DivergenceDecision(bool Diverged, bool Suspect, string Reason)
{
    public static DivergenceDecision Healthy(string reason) => new(false, false, reason);
}
