using ActorTrain.Core.Data;

namespace ActorTrain.Core.History;

/// <summary>The coordinator handed <paramref name="MicroBatch"/> to a worker incarnation.</summary>
public sealed record MicroBatchAssigned(MicroBatchId MicroBatch, string WorkerId, long Incarnation) : HistoryEvent;
