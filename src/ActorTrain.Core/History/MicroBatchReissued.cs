using ActorTrain.Core.Data;

namespace ActorTrain.Core.History;

/// <summary>The coordinator took <paramref name="MicroBatch"/> back (its worker left or died) to hand it out again.</summary>
public sealed record MicroBatchReissued(MicroBatchId MicroBatch, string Reason) : HistoryEvent;
