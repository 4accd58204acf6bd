namespace ActorTrain.Core.History;

/// <summary>
/// A shard restarted from a snapshot at <paramref name="Version"/>: every application it recorded before this event
/// with a higher version is undone. The checker orders this against the shard's applications by the merged history,
/// the one place where it relies on order across processes (the shard may come back on another node).
/// </summary>
public sealed record ShardRestored(int Shard, long Version, RestoreCause Cause) : HistoryEvent;
