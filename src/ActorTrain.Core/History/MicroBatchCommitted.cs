using ActorTrain.Core.Data;

namespace ActorTrain.Core.History;

/// <summary>The coordinator committed <paramref name="MicroBatch"/> as done by a worker, which consumed <paramref name="Samples"/> samples.</summary>
public sealed record MicroBatchCommitted(MicroBatchId MicroBatch, string WorkerId, int Samples) : HistoryEvent;
