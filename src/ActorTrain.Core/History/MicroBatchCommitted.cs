using System.Text.Json.Serialization;
using ActorTrain.Core.Data;

namespace ActorTrain.Core.History;

/// <summary>
/// The coordinator committed <paramref name="MicroBatch"/> as done by a worker, which consumed <paramref name="Samples"/> samples.
/// <paramref name="Skipped"/> is the reason when the micro-batch was committed as skipped (a divergence rollback's trouble
/// window: handed out in plan order, not trained on, 0 samples); null for a micro-batch trained on. A history written
/// before skips existed has no such field, and none is written when null, so its lines still read as they were.
/// </summary>
public sealed record MicroBatchCommitted(MicroBatchId MicroBatch, string WorkerId, int Samples,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Skipped = null) : HistoryEvent;
