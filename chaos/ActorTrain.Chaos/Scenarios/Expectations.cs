namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// What a scenario must show: DESIGN's invariants by number (1-6), how close its test accuracy must come to the
/// fault-free run's with the same seed (invariant 6), and how long the whole job may take.
/// </summary>
public sealed record Expectations(IReadOnlyList<int> Invariants, double AccuracyTolerance, TimeSpan TimeBound)
{
    /// <summary>Invariants 4 and 6 compare with a fault-free run of the same job and seed.</summary>
    public bool NeedsReference => Invariants.Contains(4) || Invariants.Contains(6);
}
