namespace ActorTrain.Core.DataQuality;

/// <summary>
/// One split's records as the data check sees them: its labels as stored (not yet checked against the class count),
/// each record's raw bytes (<see cref="RecordLength"/> bytes per record, back to back), and the rows whose values
/// the source found out of range (e.g. a non-finite feature).
/// </summary>
public sealed record SplitRecords(string Name, int ClassCount, int[] Labels, ReadOnlyMemory<byte> Records, int RecordLength, int[] OutOfRangeValueRows)
{
    public int Count => Labels.Length;

    public ReadOnlySpan<byte> Record(int row) => Records.Span.Slice(row * RecordLength, RecordLength);
}
