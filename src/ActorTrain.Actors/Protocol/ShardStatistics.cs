using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Shard → coordinator: histograms (index = value, entry = count) of the staleness of each applied push in
/// updates (the shard's version at apply minus the version the gradient was computed on), and, under SSP, of
/// each served worker pull's clock gap to the slowest worker. <see cref="Node"/> is the address of the node holding the shard;
/// <see cref="Snapshots"/> the sequence number of its newest durable snapshot, <see cref="SnapshotFailures"/> how many writes failed;
/// <see cref="NonFiniteRefused"/> how many pushes it refused for a non-finite gradient.
/// </summary>
[MessagePackObject]
public sealed record ShardStatistics(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long Version,
    [property: Key(2)] long[] AppliedStaleness,
    [property: Key(3)] long[] ClockGapAtPull,
    [property: Key(4)] string Node = "",
    [property: Key(5)] long Snapshots = 0,
    [property: Key(6)] long SnapshotFailures = 0,
    [property: Key(7)] long NonFiniteRefused = 0) : IWireMessage;
