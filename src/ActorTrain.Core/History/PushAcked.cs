using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>A shard acked <paramref name="Push"/> at <paramref name="Version"/>; <paramref name="Duplicate"/> when it was a resend, acked without applying.</summary>
public sealed record PushAcked(int Shard, PushId Push, long Version, bool Duplicate) : HistoryEvent;
