using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → worker: one micro-batch to compute, with its place in its step (BSP sums a step's
/// micro-batches in <see cref="IndexInStep"/> order). The worker answers, after every shard has acked its
/// pushes, with <see cref="BatchCompleted"/>. <see cref="Skip"/>: the micro-batch is skipped (a rollback's trouble window),
/// and why: the worker trains nothing and pushes skip markers (<see cref="PushGradients.Skipped"/>), so a BSP step stays whole.
/// <see cref="Rollbacks"/>: how many divergence rollbacks the run has made; weights a worker pulled before the last one
/// (a shard may not have been back at its checkpoint yet) are never computed on for this work.
/// </summary>
[MessagePackObject]
public sealed record WorkAssigned(
    [property: Key(0)] int Epoch,
    [property: Key(1)] int MicroBatch,
    [property: Key(2)] long Step,
    [property: Key(3)] int IndexInStep,
    [property: Key(4)] int MicroBatchesInStep,
    [property: Key(5)] int[] SampleIndices,
    [property: Key(6)] string? Skip = null,
    [property: Key(7)] int Rollbacks = 0) : IWireMessage;
