using System.Globalization;
using ActorTrain.Actors.Settings;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The Akka configuration of a run's store: Akka.Persistence.Sql's journal and snapshot store as the default plugins,
/// on SQLite (the run folder's state.db unless configured) or PostgreSQL. Payloads are serialized by binding, so
/// snapshots and events that are <see cref="Protocol.IWireMessage"/>s go through ActorTrain's serializer (id 4701).
/// </summary>
public static class PersistenceConfig
{
    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    /// <summary>linq2db's provider names; a versioned name saves the plugin from probing the server.</summary>
    public const string SqliteProvider = "SQLite.MS";
    public const string PostgreSqlProvider = "PostgreSQL.15";

    /// <summary>The SQLite file of a run when <c>actortrain.persistence.connection-string</c> is empty.</summary>
    public const string SqliteFileName = "state.db";

    /// <summary>
    /// The journal and snapshot store for <paramref name="persistence"/>, with Akka.Persistence.Sql's defaults as
    /// the fallback (they name the plugin classes). For SQLite this also creates the database file if needed and
    /// switches it to WAL, so that several processes on this machine can share it.
    /// </summary>
    /// <param name="runFolder">Where state.db goes when the SQLite connection string is empty.</param>
    public static Config For(PersistenceSettings persistence, string runFolder)
    {
        var connectionString = ConnectionString(persistence, runFolder);
        var sqlite = persistence.Store == PersistenceStore.Sqlite;
        if (sqlite) PrepareSqlite(connectionString);
        var timeout = Seconds(persistence.Snapshot.CallTimeout);
        var connection = HoconText.Quote(connectionString);
        var provider = sqlite ? SqliteProvider : PostgreSqlProvider;
        var store = ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                  # SQLite has one writer at a time: more writers only wait on each other's locks.
                  {{(sqlite ? "parallelism = 1" : "")}}
                  circuit-breaker.call-timeout = {{timeout}}
                  # Akka's default keeps an open breaker failing every call for 30 s: a store down for 1 s stalled the
                  # job for a minute (found by the chaos soak). A store that is back is noticed within 2 s.
                  circuit-breaker.reset-timeout = 2s
                  recovery-event-timeout = {{timeout}}
                }
              }
              snapshot-store {
                plugin = "{{SnapshotPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                  # A large shard's snapshot takes seconds to write; the default call-timeout (20 s) would fail it.
                  circuit-breaker.call-timeout = {{timeout}}
                  circuit-breaker.reset-timeout = 2s
                }
              }
            }
            """);
        return store.WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// <paramref name="config"/> with the run's store: the plugin choice on top (reference.conf's in-memory default
    /// is only for actor systems without a run store, such as tests), the store's keys as a fallback so that
    /// <c>akka.persistence.*.sql</c> keys set in a job file win.
    /// </summary>
    public static Config Apply(Config config, PersistenceSettings persistence, string runFolder) =>
        ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.plugin = "{{JournalPluginId}}"
            akka.persistence.snapshot-store.plugin = "{{SnapshotPluginId}}"
            """).WithFallback(config).WithFallback(For(persistence, runFolder));

    /// <summary>
    /// The settings every process of a run in <paramref name="runFolder"/> uses: <c>run-id</c> defaults to the folder's
    /// name, and the connection string is resolved (see <see cref="ConnectionString"/>). <see cref="PersistenceSettings.ToHocon"/>
    /// of the result is what child processes are given.
    /// </summary>
    public static PersistenceSettings ForRun(PersistenceSettings persistence, string runFolder) => persistence with
    {
        RunId = persistence.RunId.Length > 0 ? persistence.RunId : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder))),
        ConnectionString = ConnectionString(persistence, runFolder),
    };

    /// <summary>
    /// The connection string every process of the run uses: the configured one, or for SQLite with none configured,
    /// the run folder's state.db (absolute, so child processes in other directories find it) with a busy timeout of
    /// <c>snapshot.call-timeout</c>.
    /// </summary>
    public static string ConnectionString(PersistenceSettings persistence, string runFolder)
    {
        if (persistence.ConnectionString.Length > 0 || persistence.Store != PersistenceStore.Sqlite) return persistence.ConnectionString;
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(Path.Combine(runFolder, SqliteFileName)),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout: this is the busy timeout.
            DefaultTimeout = (int)Math.Ceiling(persistence.Snapshot.CallTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>
    /// Creates the database file if needed and switches it to WAL: readers and the one writer no longer block each
    /// other, and the mode is stored in the file, so doing it again (each process of the run does) changes nothing.
    /// </summary>
    private static void PrepareSqlite(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new SettingsException($"{PersistenceSettings.Key("connection-string")} is not a valid SQLite connection string: {e.Message}");
        }
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") return; // tests: nothing to prepare
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new SettingsException($"SQLite database {builder.DataSource} stays in journal mode {mode} instead of WAL " +
                                            "(is it on a network file system? SQLite must be local; use store = postgresql to share state between machines).");
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"cannot open the SQLite database {builder.DataSource} ({PersistenceSettings.Key("connection-string")}): {e.Message}");
        }
    }

    private static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
