namespace ActorTrain.Core.Data;

/// <summary>A micro-batch: its epoch and its position in that epoch's order.</summary>
public readonly record struct MicroBatchId(int Epoch, int Index) : IComparable<MicroBatchId>
{
    public int CompareTo(MicroBatchId other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Index.CompareTo(other.Index);

    public override string ToString() => $"e{Epoch}/mb{Index}";
}
