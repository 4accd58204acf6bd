using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: a micro-batch went out to a worker. Its <see cref="WorkAssigned"/> is sent at once, before this is
/// durable: an assignment lost with a crash is only work handed out again (the ledger takes a completion once).
/// </summary>
[MessagePackObject]
public sealed record MicroBatchAssigned(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int MicroBatch) : ICoordinatorEvent;
