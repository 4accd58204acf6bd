using System.Data.Common;
using ActorTrain.Actors.Hosting;
using Akka.Actor;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorTrain.Actors.Tests.Persistence;

/// <summary>The embedded default: the run folder's state.db, in WAL mode, shared by the processes of one machine.</summary>
public sealed class SqliteStoreSpecs : StoreSpecs
{
    private readonly string _runFolder;

    public SqliteStoreSpecs()
        : this(Directory.CreateTempSubdirectory("actortrain-sqlite-").FullName)
    {
    }

    private SqliteStoreSpecs(string runFolder)
        : base(Settings($"actortrain.persistence {{ store = sqlite, run-id = {NewRunId()} }}", runFolder), runFolder)
    {
        _runFolder = runFolder;
    }

    protected override DbConnection OpenDatabase()
    {
        var connection = new SqliteConnection(Persistence.ConnectionString);
        connection.Open();
        return connection;
    }

    [Fact]
    public void The_database_is_the_run_folders_state_db_in_wal_mode()
    {
        Assert.Equal(Path.Combine(_runFolder, PersistenceConfig.SqliteFileName), new SqliteConnectionStringBuilder(Persistence.ConnectionString).DataSource);
        using var database = OpenDatabase();
        using var command = database.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public void Two_systems_sharing_the_file_like_two_processes_of_one_machine_both_persist()
    {
        const int eventsEach = 30;
        var other = ActorSystem.Create("other", Sys.Settings.Config);
        try
        {
            var here = Sys.ActorOf(SnapshotProbe.Props(Persistence.PersistenceId("shard-0")));
            var there = other.ActorOf(SnapshotProbe.Props(Persistence.PersistenceId("shard-1")));
            for (var i = 0; i < eventsEach; i++)
            {
                here.Tell(new SnapshotProbe.Remember(new Protocol.WorkerLeft($"here-{i}")), TestActor);
                there.Tell(new SnapshotProbe.Remember(new Protocol.WorkerLeft($"there-{i}")), TestActor);
            }

            var acked = ReceiveN(2 * eventsEach, StoreTimeout).Cast<SnapshotProbe.Remembered>().ToList();

            Assert.Equal(2 * eventsEach, acked.Count);
            using var database = OpenDatabase();
            using var command = database.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM journal WHERE persistence_id LIKE '{Persistence.RunId}/%'";
            Assert.Equal(2L * eventsEach, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            Shutdown(other, StoreTimeout, verifySystemShutdown: true);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        SqliteConnection.ClearAllPools(); // pooled connections would keep the file open
        Directory.Delete(_runFolder, recursive: true);
    }
}
