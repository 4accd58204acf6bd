using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → shards: this worker is gone, so SSP's bound no longer waits for its clock. No reply.</summary>
[MessagePackObject]
public sealed record WorkerLeft([property: Key(0)] string WorkerId) : IWireMessage;
