using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>A micro-batch (epoch and index in that epoch's order), as the coordinator's events and snapshots name it.</summary>
[MessagePackObject]
public sealed record MicroBatchRef([property: Key(0)] int Epoch, [property: Key(1)] int MicroBatch) : IWireMessage;
