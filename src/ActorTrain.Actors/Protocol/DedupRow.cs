using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// One worker's row of a shard's dedup table, as a snapshot holds it and as <see cref="ShardSnapshotted"/> tells the
/// worker: every push of incarnation <see cref="Incarnation"/> with seq ≤ <see cref="Watermark"/>, or in
/// <see cref="AppliedAboveWatermark"/>, is in the shard's weights.
/// </summary>
[MessagePackObject]
public sealed record DedupRow(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] long Incarnation,
    [property: Key(2)] long Watermark,
    [property: Key(3)] long[] AppliedAboveWatermark) : IWireMessage;
