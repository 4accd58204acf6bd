namespace ActorTrain.Core.Durability;

/// <summary>
/// When a parameter shard snapshots: after <see cref="EveryUpdates"/> updates or <see cref="Every"/> of time since
/// the last snapshot, whichever comes first, provided something changed and no snapshot is still being written.
/// The shard keeps the newest <see cref="Keep"/> snapshots.
/// </summary>
public sealed record SnapshotPolicy(long EveryUpdates, TimeSpan Every, int Keep)
{
    /// <summary>Whether to snapshot now, and why (or why not).</summary>
    public (bool Due, string Reason) Decide(long version, long snapshotVersion, DateTimeOffset now, DateTimeOffset snapshotAt, bool writing)
    {
        if (writing) return (false, "a snapshot is being written");
        if (version == snapshotVersion) return (false, "nothing changed since the last snapshot");
        if (EveryUpdates > 0 && version - snapshotVersion >= EveryUpdates) return (true, $"{version - snapshotVersion} updates since the last snapshot");
        if (Every > TimeSpan.Zero && now - snapshotAt >= Every) return (true, $"{(now - snapshotAt).TotalSeconds:0.#} s since the last snapshot");
        return (false, "not due yet");
    }
}
