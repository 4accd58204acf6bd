namespace ActorTrain.Core.Durability;

/// <summary>
/// When a parameter shard snapshots: after <see cref="EveryUpdates"/> updates or <see cref="Every"/> of time since
/// the last snapshot, or once any one worker's pushes applied since then reach <see cref="EveryPushedBytes"/> (0: off;
/// set from the upstream backup's size by <see cref="BackupTrigger"/>), whichever comes first, provided something
/// changed and no snapshot is still being written.
/// The shard keeps the newest <see cref="Keep"/> snapshots. After failed writes, the next try waits as <see cref="Retry"/>
/// says (<see cref="SnapshotRetry.Default"/> when null).
/// </summary>
public sealed record SnapshotPolicy(long EveryUpdates, TimeSpan Every, int Keep, SnapshotRetry? Retry = null, long EveryPushedBytes = 0)
{
    /// <summary>
    /// The <see cref="EveryPushedBytes"/> that keeps a worker's upstream backup of <paramref name="upstreamBackupBytes"/>
    /// from filling while the store works: a worker keeps a push until the snapshot BEFORE its shard's newest covers it,
    /// so it holds two gaps between snapshots of every one of the <paramref name="shards"/> shards. Each gap is held to
    /// 0.4 of the backup's share per shard; the remaining fifth is room for the pushes applied while a snapshot is being
    /// written (no other starts meanwhile) and those in flight. 0 when the backup is off.
    /// </summary>
    public static long BackupTrigger(long upstreamBackupBytes, int shards) =>
        upstreamBackupBytes <= 0 ? 0 : Math.Max(1, upstreamBackupBytes * 2 / 5 / Math.Max(1, shards));

    /// <summary>
    /// Whether to snapshot now, and why (or why not). <paramref name="failuresInARow"/> writes have failed since the last
    /// that succeeded, the last of them at <paramref name="lastFailureAt"/>. <paramref name="mostPushedBytes"/>: the bytes of
    /// the pushes of the worker that pushed most to the shard since the last snapshot was taken.
    /// </summary>
    public (bool Due, string Reason) Decide(long version, long snapshotVersion, DateTimeOffset now, DateTimeOffset snapshotAt, bool writing,
        int failuresInARow = 0, DateTimeOffset lastFailureAt = default, long mostPushedBytes = 0)
    {
        if (writing) return (false, "a snapshot is being written");
        if (version == snapshotVersion) return (false, "nothing changed since the last snapshot");
        if (failuresInARow > 0) return RetryOrDefault.Decide(failuresInARow, lastFailureAt, now, Every);
        if (EveryUpdates > 0 && version - snapshotVersion >= EveryUpdates) return (true, $"{version - snapshotVersion} updates since the last snapshot");
        if (EveryPushedBytes > 0 && mostPushedBytes >= EveryPushedBytes)
            return (true, $"a worker pushed {mostPushedBytes:N0} bytes since the last snapshot: its upstream backup needs room");
        if (Every > TimeSpan.Zero && now - snapshotAt >= Every) return (true, $"{(now - snapshotAt).TotalSeconds:0.#} s since the last snapshot");
        return (false, "not due yet");
    }

    /// <summary>The longest a worker's full upstream backup waits for a snapshot to free room before it drops its oldest pushes.</summary>
    public static readonly TimeSpan LongestBackupWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether snapshots are effectively off for a job of <paramref name="totalUpdates"/>: the update trigger never fires
    /// in it (0, or more than the job's updates), the time trigger is off or longer than <see cref="LongestBackupWait"/>, and
    /// there is no trigger by pushed bytes.
    /// </summary>
    public bool EffectivelyOff(long totalUpdates) =>
        EveryPushedBytes == 0 && (EveryUpdates == 0 || EveryUpdates > totalUpdates) && (Every == TimeSpan.Zero || Every > LongestBackupWait);

    /// <summary>
    /// How long a worker whose upstream backup is full waits for a snapshot to free room before it degrades (drops its
    /// oldest pushes and goes on): not at all when snapshots are effectively off, else twice <see cref="Every"/>, at
    /// most <see cref="LongestBackupWait"/> (a policy by updates alone may never fire while every worker waits).
    /// </summary>
    public TimeSpan BackupFullWait(long totalUpdates) =>
        EffectivelyOff(totalUpdates) ? TimeSpan.Zero
        : Every > TimeSpan.Zero && Every * 2 < LongestBackupWait ? Every * 2
        : LongestBackupWait;

    /// <summary>How long the next try waits after <paramref name="failuresInARow"/> failed writes.</summary>
    public TimeSpan RetryDelay(int failuresInARow) => RetryOrDefault.Delay(failuresInARow, Every);

    private SnapshotRetry RetryOrDefault => Retry ?? SnapshotRetry.Default;
}
