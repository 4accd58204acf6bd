using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>A shard refused <paramref name="Push"/> (stale incarnation, bad checksum, …) and did not apply it.</summary>
public sealed record PushRejected(int Shard, PushId Push, string Reason) : HistoryEvent;
