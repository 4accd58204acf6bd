namespace ActorTrain.Actors.Protocol;

/// <summary>
/// What the serializer hands the snapshot store instead of a <see cref="ShardSnapshot"/> whose stored bytes it cannot
/// read (damaged on disk: deserialization failed), so that the shard, not the store, decides what to do: it loads an
/// older snapshot. Never written and never sent.
/// </summary>
public sealed record UnreadableShardSnapshot(string Reason);
