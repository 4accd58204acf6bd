using System.Data.Common;
using System.Text;
using ActorTrain.Core.Durability;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.persistence: where the coordinator's events and the parameter shards' snapshots are kept
/// (<see cref="Hosting.PersistenceConfig"/> turns this into Akka.Persistence.Sql's configuration), how often shards
/// snapshot, how much each worker keeps of its pushes until a snapshot covers them (upstream backup), how often the
/// coordinator takes a checkpoint, and every how many of its events it snapshots itself.
/// </summary>
/// <param name="ConnectionString">
/// An ADO.NET connection string. For SQLite, empty means the run folder's state.db (resolved by
/// <see cref="Hosting.PersistenceConfig.ConnectionString"/>); for PostgreSQL it is required.
/// </param>
/// <param name="RunId">
/// The id the run's state is stored under: persistence ids are <c>&lt;run-id&gt;/shard-3</c>, <c>&lt;run-id&gt;/coordinator</c>
/// (see <see cref="PersistenceId"/>), so one database holds many runs. Empty until the CLI sets it to the run folder's name.
/// </param>
public sealed record PersistenceSettings(PersistenceStore Store, string ConnectionString, string RunId, SnapshotSettings Snapshot, long UpstreamBackupBytes,
    CheckpointSettings Checkpoint, int CoordinatorSnapshotEvery)
{
    /// <summary>Where these keys live; error messages name the keys under it.</summary>
    public const string Section = "actortrain.persistence";

    public static readonly IReadOnlyDictionary<string, PersistenceStore> Stores =
        new Dictionary<string, PersistenceStore> { ["sqlite"] = PersistenceStore.Sqlite, ["postgresql"] = PersistenceStore.PostgreSql };

    public static string Key(string name) => $"{Section}.{name}";

    public static PersistenceSettings Create(SettingsReader r)
    {
        var store = r.Choice("store", Stores);
        var connectionString = r.String("connection-string").Trim();
        if (store == PersistenceStore.PostgreSql && connectionString.Length == 0)
            throw new SettingsException($"{r.Key("connection-string")} is empty: store = postgresql needs a connection string such as " +
                                        "\"Host=db.example;Port=5432;Database=actortrain;Username=actortrain;Password=...\" (see hocon/postgres.hocon).");
        if (connectionString.Length > 0) CheckSyntax(r, connectionString);
        var runId = r.String("run-id").Trim();
        if (runId.Contains('/', StringComparison.Ordinal))
            throw r.Bad("run-id", runId, "a name without '/' (it prefixes persistence ids such as <run-id>/shard-3)");
        return new PersistenceSettings(store, connectionString, runId, SnapshotSettings.Create(r.Section("snapshot")),
            r.ByteSize("upstream-backup-bytes", 0, long.MaxValue), CheckpointSettings.Create(r.Section("checkpoint")),
            r.Int("coordinator-snapshot-every", 0, int.MaxValue));
    }

    /// <summary>The coordinator's persistence id: <c>&lt;run-id&gt;/coordinator</c>, or <c>coordinator</c> without a run id (an in-memory store).</summary>
    public string CoordinatorPersistenceId => RunId.Length > 0 ? PersistenceId("coordinator") : "coordinator";

    /// <summary>The persistence id of one of this run's persistent actors, e.g. <c>PersistenceId("shard-3")</c>.</summary>
    public string PersistenceId(string entity) => RunId.Length > 0
        ? $"{RunId}/{entity}"
        : throw new InvalidOperationException($"{Key("run-id")} is empty: the CLI sets it to the run folder's name before any actor persists.");

    /// <summary>The connection string with any password replaced by ***, for logs and messages.</summary>
    public string ConnectionStringForDisplay
    {
        get
        {
            if (ConnectionString.Length == 0) return "";
            var builder = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
            foreach (var key in new[] { "password", "pwd" })
                if (builder.ContainsKey(key)) builder[key] = "***";
            return builder.ConnectionString;
        }
    }

    /// <summary>
    /// The snapshot policy of each of a job's <paramref name="shards"/> shards: the configured one, plus a snapshot whenever
    /// a worker's pushes since the last would otherwise fill its upstream backup (<see cref="SnapshotPolicy.BackupTrigger"/>),
    /// so that a full backup never stalls a worker while the store works; without it when
    /// <see cref="SnapshotSettings.BeforeBackupFills"/> is off.
    /// </summary>
    public SnapshotPolicy ShardSnapshotPolicy(int shards) =>
        Snapshot.BeforeBackupFills ? Snapshot.Policy with { EveryPushedBytes = SnapshotPolicy.BackupTrigger(UpstreamBackupBytes, shards) } : Snapshot.Policy;

    /// <summary>
    /// A warning for the start of a job of <paramref name="totalUpdates"/> with <paramref name="workers"/> workers each
    /// pushing <paramref name="pushBytes"/> per micro-batch, naming the keys, when its upstream backup will fill before a
    /// snapshot frees it (snapshots effectively off, or more pushes between snapshots than it holds); null when it fits
    /// or the backup is off. A full backup then degrades: its worker drops its oldest pushes and goes on.
    /// </summary>
    public string? UpstreamBackupWarning(int workers, long totalUpdates, long pushBytes)
    {
        if (UpstreamBackupBytes == 0 || Snapshot.BeforeBackupFills) return null; // snapshots then come before it fills
        var policy = Snapshot.Policy;
        var keys = $"{Key("snapshot.every-updates")} = {Snapshot.EveryUpdates}, {Key("snapshot.every")} = {Snapshot.Every.TotalSeconds:0.###} s";
        const string Consequence = "when it is full the worker drops its oldest retained pushes and goes on (durability degraded: a shard lost " +
                                   "then loses what it applied since its last snapshot)";
        if (policy.EffectivelyOff(totalUpdates))
            return $"shards effectively never snapshot in this job ({keys}, {totalUpdates} updates) but the upstream backup is on " +
                   $"({Key("upstream-backup-bytes")} = {UpstreamBackupBytes:N0}): nothing will free it, and {Consequence}. Turn snapshots on " +
                   $"(lower {Key("snapshot.every-updates")} or {Key("snapshot.every")}), or the backup off ({Key("upstream-backup-bytes")} = 0).";
        var between = Snapshot.EveryUpdates == 0 ? 0 : (Snapshot.EveryUpdates + workers - 1) / Math.Max(1, workers) * pushBytes;
        if (between <= UpstreamBackupBytes) return null;
        return $"{Key("upstream-backup-bytes")} = {UpstreamBackupBytes:N0} is less than the ~{between:N0} bytes a worker pushes between snapshots " +
               $"({keys}, {workers} worker(s), {pushBytes:N0} bytes per micro-batch): {Consequence}, after waiting for a snapshot. Raise " +
               $"{Key("upstream-backup-bytes")} or lower {Key("snapshot.every-updates")}.";
    }

    /// <summary>
    /// HOCON that pins this run's id and connection string, appended to the job text child processes load so that
    /// every process of the run uses the same store under the same id.
    /// </summary>
    public string ToHocon() =>
        $"{Key("run-id")} = {HoconText.Quote(RunId)}\n{Key("connection-string")} = {HoconText.Quote(ConnectionString)}\n";

    private static void CheckSyntax(SettingsReader r, string connectionString)
    {
        try
        {
            _ = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException e)
        {
            // The message names the key but not the value: it may hold a password.
            throw new SettingsException($"{r.Key("connection-string")} is not a valid connection string ({e.Message}); " +
                                        "expected key=value pairs separated by ';'.");
        }
    }

    /// <summary>The password stays out of logs and exception messages.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Store = {Store}, ConnectionString = {ConnectionStringForDisplay}, RunId = {RunId}, Snapshot = {Snapshot}, " +
                       $"UpstreamBackupBytes = {UpstreamBackupBytes}, Checkpoint = {Checkpoint}, CoordinatorSnapshotEvery = {CoordinatorSnapshotEvery}");
        return true;
    }
}
