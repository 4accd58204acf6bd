using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>A micro-batch out with a worker, as a <see cref="CoordinatorSnapshot"/> holds it.</summary>
[MessagePackObject]
public sealed record HeldMicroBatch([property: Key(0)] int Epoch, [property: Key(1)] int MicroBatch, [property: Key(2)] string WorkerId) : IWireMessage;
