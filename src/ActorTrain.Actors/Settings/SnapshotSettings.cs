using ActorTrain.Core.Durability;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.persistence.snapshot: a parameter shard snapshots after <see cref="EveryUpdates"/> updates or
/// <see cref="Every"/> of time, whichever comes first (0 turns either off), and keeps the newest <see cref="Keep"/>.
/// <see cref="CallTimeout"/> bounds one snapshot write or read (the store's circuit breaker). After a failed write the
/// shard tries again after <see cref="Retry"/>'s backoff. With <see cref="BeforeBackupFills"/>, a shard also snapshots
/// whenever a worker's pushes since its last snapshot would otherwise fill that worker's upstream backup.
/// </summary>
public sealed record SnapshotSettings(long EveryUpdates, TimeSpan Every, int Keep, TimeSpan CallTimeout, SnapshotRetry Retry,
    bool BeforeBackupFills = true)
{
    /// <summary>The shard's decision function (Core) for these settings.</summary>
    public SnapshotPolicy Policy => new(EveryUpdates, Every, Keep, Retry);

    public static SnapshotSettings Create(SettingsReader r)
    {
        var snapshot = new SnapshotSettings(
            r.Int("every-updates", 0, 1_000_000_000),
            r.Duration("every", allowZero: true),
            r.Int("keep", 1, 1000),
            r.Duration("call-timeout"),
            new SnapshotRetry(r.Duration("retry-min-backoff"), r.Duration("retry-max-backoff")),
            r.Bool("before-backup-fills"));
        if (snapshot.Retry.MaxBackoff < snapshot.Retry.MinBackoff)
            throw new SettingsException($"{r.Key("retry-max-backoff")} = {r.String("retry-max-backoff")} is shorter than {r.Key("retry-min-backoff")} = " +
                                        $"{r.String("retry-min-backoff")}: the wait between snapshot retries grows from the min to the max; raise the max.");
        if (snapshot.EveryUpdates == 0 && snapshot.Every == TimeSpan.Zero)
            throw new SettingsException($"{r.Key("every-updates")} and {r.Key("every")} are both 0: shards would never snapshot, " +
                                        "and a lost shard would restart from its initial weights. Set at least one of them.");
        return snapshot;
    }
}
