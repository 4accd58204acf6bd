using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History;

/// <summary>
/// The job's consistency became <paramref name="Mode"/> (with bound <paramref name="Staleness"/> under SSP). The
/// coordinator records it once. At the shards it governs every application whose version after is at least
/// <paramref name="AtUpdate"/>, at every shard, wherever it stands in the history; for the coordinator's own events
/// (commits, checkpoints) it takes effect where it stands in the history.
/// </summary>
public sealed record ModeChanged(ConsistencyMode Mode, int Staleness, long AtUpdate) : HistoryEvent;
