namespace ActorTrain.Core.Consistency;

/// <summary>One worker's row of a shard's dedup table, as stored in snapshots.</summary>
public sealed record DedupEntry(string WorkerId, long Incarnation, long Watermark, IReadOnlyList<long> AppliedAboveWatermark);
