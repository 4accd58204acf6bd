using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator event: a micro-batch went out to a worker (its <see cref="WorkAssigned"/> is sent once this is durable).</summary>
[MessagePackObject]
public sealed record MicroBatchAssigned(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int MicroBatch) : ICoordinatorEvent;
