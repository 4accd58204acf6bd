using System.Text.Json.Serialization;

namespace ActorTrain.Core.History;

/// <summary>
/// One thing that happened in a run, as the invariant checker needs to know it. Actors build an event from
/// values they hold anyway (no tensors, no sample lists) and hand it to a <see cref="HistoryRecorder"/>, which
/// stamps it with its process, a sequence number and the time. The set of kinds is closed: the JSON-lines
/// format of <see cref="HistoryFile"/> names each by its <c>type</c>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PushSent), "push-sent")]
[JsonDerivedType(typeof(PushApplied), "push-applied")]
[JsonDerivedType(typeof(PushAcked), "push-acked")]
[JsonDerivedType(typeof(PushRejected), "push-rejected")]
[JsonDerivedType(typeof(ShardRestored), "shard-restored")]
[JsonDerivedType(typeof(MicroBatchAssigned), "micro-batch-assigned")]
[JsonDerivedType(typeof(MicroBatchCommitted), "micro-batch-committed")]
[JsonDerivedType(typeof(MicroBatchReissued), "micro-batch-reissued")]
[JsonDerivedType(typeof(EpochCompleted), "epoch-completed")]
[JsonDerivedType(typeof(ModeChanged), "mode-changed")]
[JsonDerivedType(typeof(CheckpointRecorded), "checkpoint-recorded")]
[JsonDerivedType(typeof(FinalWeights), "final-weights")]
[JsonDerivedType(typeof(RunRolledBack), "run-rolled-back")]
[JsonDerivedType(typeof(CoordinatorRecovered), "coordinator-recovered")]
public abstract record HistoryEvent
{
    /// <summary>Only this assembly derives events, so the set stays closed.</summary>
    private protected HistoryEvent()
    {
    }

    /// <summary>The recording process (its recorder's name); empty until recorded.</summary>
    [JsonPropertyOrder(-3)]
    public string Process { get; init; } = "";

    /// <summary>Position in the recording process's history, from 0; orders that process's events exactly.</summary>
    [JsonPropertyOrder(-2)]
    public long Sequence { get; init; }

    /// <summary>When it was recorded (never earlier than the process's previous event).</summary>
    [JsonPropertyOrder(-1)]
    public DateTimeOffset At { get; init; }
}
