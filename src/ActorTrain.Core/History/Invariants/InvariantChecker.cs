namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Checks invariants 1 to 5 of DESIGN.md on a recorded history (one process's, or several merged by
/// <see cref="HistoryMerge"/>). Pure: it reads the events and the options and touches nothing else, except the
/// checkpoint loader when one is given.
/// </summary>
public static class InvariantChecker
{
    /// <summary>One verdict per invariant, numbered 1 to 5 in order.</summary>
    public static IReadOnlyList<InvariantVerdict> Check(IReadOnlyList<HistoryEvent> history, InvariantCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            PushApplicationCheck.Check(history),
            SampleCoverageCheck.Check(history, options),
            StalenessBoundCheck.Check(history, options),
            FinalWeightsCheck.Check(history, options),
            CheckpointCheck.Check(history, options),
        ];
    }
}
