using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: the worker holding a micro-batch reported it applied by every shard, and the ledger committed it
/// (its <see cref="BatchCommitted"/> is sent once this is durable). <see cref="CompletesUpdate"/> is false for a
/// local round's micro-batches but its last, as in <see cref="BatchCompleted"/>; <see cref="GradientNorm"/> and
/// <see cref="Skipped"/> as there.
/// </summary>
[MessagePackObject]
public sealed record MicroBatchCommitted(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] int Epoch,
    [property: Key(2)] int MicroBatch,
    [property: Key(3)] int Samples,
    [property: Key(4)] float LossSum,
    [property: Key(5)] bool CompletesUpdate = true,
    [property: Key(6)] double GradientNorm = 0,
    [property: Key(7)] string? Skipped = null) : ICoordinatorEvent;
