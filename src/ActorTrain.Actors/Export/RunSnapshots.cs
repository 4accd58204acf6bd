using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using PersistenceSettings = ActorTrain.Actors.Settings.PersistenceSettings;
using Microsoft.Data.Sqlite;

namespace ActorTrain.Actors.Export;

/// <summary>
/// Reads the newest snapshot of each of a run's parameter shards from the run's store, through Akka.Persistence's own
/// snapshot store (so SQLite and PostgreSQL alike, whatever the plugin's tables look like), in an ActorSystem of its
/// own that joins no cluster.
/// </summary>
public static class RunSnapshots
{
    /// <summary>
    /// The store to read a run's state from: the one in its settings, except that an SQLite file that is not where the
    /// settings say (the run folder was moved) is looked for as the folder's state.db. The file is never created.
    /// </summary>
    public static PersistenceSettings StoreOf(PersistenceSettings configured, string runFolder)
    {
        var persistence = PersistenceConfig.ForRun(configured, runFolder);
        if (persistence.Store != PersistenceStore.Sqlite) return persistence;
        var builder = new SqliteConnectionStringBuilder(persistence.ConnectionString) { Mode = SqliteOpenMode.ReadWrite };
        if (!File.Exists(builder.DataSource))
        {
            var inFolder = Path.GetFullPath(Path.Combine(runFolder, PersistenceConfig.SqliteFileName));
            if (!File.Exists(inFolder))
                throw new ExportException($"{runFolder} has no state: " + (inFolder == Path.GetFullPath(builder.DataSource)
                    ? $"{inFolder} does not exist."
                    : $"neither {builder.DataSource} (actortrain.persistence.connection-string in its config.hocon) nor {inFolder} exists.") +
                    " Only a run's store holds its trained weights.");
            builder.DataSource = inFolder;
        }
        return persistence with { ConnectionString = builder.ToString() };
    }

    /// <summary>
    /// The newest snapshot of shards 0 … <paramref name="shardCount"/> - 1 of the run <paramref name="persistence"/> names, or,
    /// with <paramref name="checkpoint"/>, each shard's snapshot for that checkpoint (kept: the last complete one and the best).
    /// </summary>
    /// <exception cref="ExportException">A shard has no such snapshot, or the store cannot be read.</exception>
    public static async Task<IReadOnlyList<ShardSnapshot>> LoadAsync(PersistenceSettings persistence, string runFolder, int shardCount,
        CancellationToken cancellation = default, long? checkpoint = null)
    {
        var config = ConfigurationFactory.ParseString("akka.loglevel = ERROR")
            .WithFallback(PersistenceConfig.For(persistence, runFolder))
            .WithFallback(JobConfig.Reference);
        var system = ActorSystem.Create("actortrain-export", config);
        try
        {
            var store = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
            var timeout = persistence.Snapshot.CallTimeout + TimeSpan.FromSeconds(5);
            var snapshots = new ShardSnapshot[shardCount];
            for (var shard = 0; shard < shardCount; shard++)
                snapshots[shard] = await LoadAsync(store, persistence, shard, timeout, checkpoint, cancellation).ConfigureAwait(false);
            return snapshots;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static async Task<ShardSnapshot> LoadAsync(IActorRef store, PersistenceSettings persistence, int shard, TimeSpan timeout,
        long? checkpoint, CancellationToken cancellation)
    {
        var id = ShardDurability.PersistenceIdFor(persistence.RunId, shard);
        var criteria = SnapshotSelectionCriteria.Latest;
        if (checkpoint is { } c)
        {
            id = ShardCheckpoints.PersistenceIdOf(id);
            criteria = new SnapshotSelectionCriteria(c, DateTime.MaxValue, c, DateTime.MinValue);
        }
        object reply;
        try
        {
            reply = await store.Ask<object>(new LoadSnapshot(id, criteria, long.MaxValue), timeout, cancellation)
                .ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new ExportException($"the store ({Describe(persistence)}) did not answer for shard {shard}'s snapshot within {timeout.TotalSeconds:0} s.", e);
        }
        return reply switch
        {
            // The store answers the newest at or below the number asked for: another number means this one is gone.
            LoadSnapshotResult { Snapshot: null } when checkpoint is { } missing => throw Missing(shard, missing, id, persistence),
            LoadSnapshotResult { Snapshot: { } loaded } when checkpoint is { } wanted && loaded.Metadata.SequenceNr != wanted => throw Missing(shard, wanted, id, persistence),
            LoadSnapshotResult { Snapshot: null } => throw new ExportException(
                $"shard {shard} has no snapshot (persistence id {id}) in {Describe(persistence)}: the run stopped before that shard saved its state, " +
                "or the run id (actortrain.persistence.run-id) is not the one it ran under."),
            LoadSnapshotResult { Snapshot.Snapshot: ShardSnapshot snapshot } => snapshot,
            LoadSnapshotResult other => throw new ExportException(
                $"the snapshot under {id} is a {other.Snapshot.Snapshot.GetType().Name}, not a parameter shard's state."),
            LoadSnapshotFailed failed => throw new ExportException(
                $"reading shard {shard}'s snapshot (persistence id {id}) from {Describe(persistence)} failed: {failed.Cause.Message}", failed.Cause),
            _ => throw new ExportException($"the snapshot store answered {reply.GetType().Name} to a request for shard {shard}'s snapshot."),
        };
    }

    private static ExportException Missing(int shard, long checkpoint, string id, PersistenceSettings persistence) => new(
        $"shard {shard} holds no snapshot for checkpoint {checkpoint} (persistence id {id}) in {Describe(persistence)}: a run keeps only its last " +
        "complete checkpoint and its best (see metrics.jsonl's checkpoint and best-checkpoint records).");

    private static string Describe(PersistenceSettings persistence) => persistence.Store == PersistenceStore.Sqlite
        ? $"SQLite {new SqliteConnectionStringBuilder(persistence.ConnectionString).DataSource}"
        : $"PostgreSQL {persistence.ConnectionStringForDisplay}";
}
