using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Worker → coordinator: the micro-batch's gradients were applied (or, in BSP, accepted into their step)
/// by every shard. Commits the micro-batch in the ledger. Reply: <see cref="BatchCommitted"/>.
/// <see cref="CompletesUpdate"/> is false for all but the last micro-batch of a local SGD / DiLoCo round: the round's
/// micro-batches were applied as one pseudo-gradient, which is one update.
/// </summary>
[MessagePackObject]
public sealed record BatchCompleted(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] long Incarnation,
    [property: Key(2)] int Epoch,
    [property: Key(3)] int MicroBatch,
    [property: Key(4)] float LossSum,
    [property: Key(5)] int Samples,
    [property: Key(6)] long Version,
    [property: Key(7)] bool CompletesUpdate = true) : IWireMessage;
