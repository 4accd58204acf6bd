using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → a leaving worker: <see cref="MicroBatches"/> micro-batches it held went back to the ledger.</summary>
[MessagePackObject]
public sealed record WorkHandedBack([property: Key(0)] int MicroBatches) : IWireMessage;
