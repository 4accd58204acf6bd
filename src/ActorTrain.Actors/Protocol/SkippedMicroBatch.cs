using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>A micro-batch the ledger marks skipped, and why, as the coordinator's snapshot keeps it.</summary>
[MessagePackObject]
public sealed record SkippedMicroBatch(
    [property: Key(0)] int Epoch,
    [property: Key(1)] int MicroBatch,
    [property: Key(2)] string Reason) : IWireMessage;
