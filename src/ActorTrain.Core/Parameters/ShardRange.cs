namespace ActorTrain.Core.Parameters;

/// <summary>One shard's contiguous range [Start, Start + Length) of the flat parameter vector.</summary>
public readonly record struct ShardRange(int ShardId, int Start, int Length)
{
    public int End => Start + Length;
}
