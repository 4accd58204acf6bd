using System.Text.Json.Serialization;
using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>
/// A shard refused <paramref name="Push"/> (stale incarnation, bad checksum, a resend of a push it already applied, …)
/// and did not apply it. <paramref name="Superseded"/>: BSP acked it as a duplicate without applying it because the
/// step already holds another push for the same micro-batch (a re-issued copy): such an acked push need not be applied.
/// </summary>
public sealed record PushRejected(int Shard, PushId Push, string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Superseded = false) : HistoryEvent;
