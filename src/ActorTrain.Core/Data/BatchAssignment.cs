namespace ActorTrain.Core.Data;

/// <summary>
/// One micro-batch of work: which samples, and where it sits in its step (for BSP's ordered sum).
/// </summary>
public sealed record BatchAssignment(
    MicroBatchId MicroBatch,
    long Step,
    int IndexInStep,
    int MicroBatchesInStep,
    int[] SampleIndices);
