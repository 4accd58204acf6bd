using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → worker: one micro-batch to compute, with its place in its step (BSP sums a step's
/// micro-batches in <see cref="IndexInStep"/> order). The worker answers, after every shard has acked its
/// pushes, with <see cref="BatchCompleted"/>.
/// </summary>
[MessagePackObject]
public sealed record WorkAssigned(
    [property: Key(0)] int Epoch,
    [property: Key(1)] int MicroBatch,
    [property: Key(2)] long Step,
    [property: Key(3)] int IndexInStep,
    [property: Key(4)] int MicroBatchesInStep,
    [property: Key(5)] int[] SampleIndices) : IWireMessage;
