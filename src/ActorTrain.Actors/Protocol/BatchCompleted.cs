using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Worker → coordinator: the micro-batch's gradients were applied (or, in BSP, accepted into their step)
/// by every shard. Commits the micro-batch in the ledger. Reply: <see cref="BatchCommitted"/>.
/// <see cref="CompletesUpdate"/> is false for all but the last micro-batch of a local SGD / DiLoCo round: the round's
/// micro-batches were applied as one pseudo-gradient, which is one update. <see cref="GradientNorm"/> is the L2 norm of
/// the micro-batch's gradient (divergence detection watches it and the loss). <see cref="Skipped"/>: why it was not trained
/// on (a skip assignment, or a non-finite loss or gradient, whose pushes then carried nothing), with 0 samples.
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
    [property: Key(7)] bool CompletesUpdate = true,
    [property: Key(8)] double GradientNorm = 0,
    [property: Key(9)] string? Skipped = null) : IWireMessage;
