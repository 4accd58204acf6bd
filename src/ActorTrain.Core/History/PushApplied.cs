using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>
/// A shard applied <paramref name="Push"/>; its version became <paramref name="VersionAfter"/> (under BSP every push of
/// the step shares the step's version). <paramref name="Staleness"/> counts the updates the push's gradient missed.
/// </summary>
public sealed record PushApplied(int Shard, PushId Push, long VersionAfter, long Staleness) : HistoryEvent;
