using ActorTrain.Core.Data;

namespace ActorTrain.Core.Consistency;

/// <summary>One inner step of a local round: the micro-batch it trained on, its summed loss and its sample count.</summary>
public readonly record struct LocalStep(MicroBatchId MicroBatch, float LossSum, int Samples);
