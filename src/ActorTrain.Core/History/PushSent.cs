using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>A worker sent <paramref name="Push"/> to <paramref name="Shard"/>, computed at its clock on weights of <paramref name="BaseVersion"/>.</summary>
public sealed record PushSent(PushId Push, int Shard, long Clock, long BaseVersion) : HistoryEvent;
