namespace ActorTrain.Core.Data;

/// <summary>
/// Everything a <see cref="DataLedger"/> holds, for a coordinator snapshot: the plan-order cursor, the micro-batches
/// handed back and waiting to go out again, those out with a worker, how many were reissued so far, and the skip marks
/// with their reasons (in id order). <paramref name="Skipped"/> is last and optional so that a state written before skips
/// existed still builds: null means no marks, and equals an empty list.
/// </summary>
public sealed record LedgerState(
    MicroBatchId Cursor,
    IReadOnlyList<MicroBatchId> Returned,
    IReadOnlyList<KeyValuePair<MicroBatchId, string>> Outstanding,
    long Reissued,
    IReadOnlyList<KeyValuePair<MicroBatchId, string>>? Skipped = null)
{
    /// <summary>Records compare lists by reference; states compare by content.</summary>
    public bool Equals(LedgerState? other) =>
        other is not null && Cursor == other.Cursor && Reissued == other.Reissued
        && Returned.SequenceEqual(other.Returned) && Outstanding.SequenceEqual(other.Outstanding)
        && (Skipped ?? []).SequenceEqual(other.Skipped ?? []);

    public override int GetHashCode() => HashCode.Combine(Cursor, Reissued, Returned.Count, Outstanding.Count, Skipped?.Count ?? 0);
}
