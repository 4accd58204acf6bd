using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>What Akka.Persistence is told for each store, and how a run pins its store for its child processes.</summary>
public sealed class PersistenceConfigTests : IDisposable
{
    private readonly string _runFolder = Directory.CreateTempSubdirectory("actortrain-run-").FullName;

    private static PersistenceSettings Read(string body) =>
        ActorTrainSettings.Create(JobConfig.FromText($"actortrain.persistence {{ {body} }}")).Persistence;

    [Fact]
    public void A_run_stores_under_its_folder_name_in_its_folders_state_db_with_the_call_timeout_as_busy_timeout()
    {
        var persistence = PersistenceConfig.ForRun(Read(""), _runFolder);

        Assert.Equal(Path.GetFileName(_runFolder), persistence.RunId);
        var connection = new SqliteConnectionStringBuilder(persistence.ConnectionString);
        Assert.Equal(Path.Combine(_runFolder, "state.db"), connection.DataSource);
        Assert.Equal(60, connection.DefaultTimeout);
    }

    [Fact]
    public void A_configured_run_id_and_connection_string_are_kept()
    {
        var persistence = PersistenceConfig.ForRun(Read("run-id = earlier-run, connection-string = \"Data Source=/data/state.db\""), _runFolder);

        Assert.Equal(("earlier-run", "Data Source=/data/state.db"), (persistence.RunId, persistence.ConnectionString));
    }

    [Fact]
    public void Sqlite_gets_the_sql_plugins_with_one_writer_raised_timeouts_and_a_wal_database_file()
    {
        var persistence = PersistenceConfig.ForRun(Read("snapshot.call-timeout = 90s"), _runFolder);

        var config = PersistenceConfig.For(persistence, _runFolder);

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        foreach (var plugin in new[] { "akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql" })
        {
            Assert.Equal(persistence.ConnectionString, config.GetString($"{plugin}.connection-string"));
            Assert.Equal("SQLite.MS", config.GetString($"{plugin}.provider-name"));
            Assert.True(config.GetBoolean($"{plugin}.auto-initialize"));
            Assert.Equal(TimeSpan.FromSeconds(90), config.GetTimeSpan($"{plugin}.circuit-breaker.call-timeout"));
            Assert.StartsWith("Akka.Persistence.Sql.", config.GetString($"{plugin}.class")); // from the plugin's own defaults
        }
        Assert.Equal(1, config.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal(TimeSpan.FromSeconds(90), config.GetTimeSpan("akka.persistence.journal.sql.recovery-event-timeout"));
        Assert.Equal("wal", JournalMode(Path.Combine(_runFolder, "state.db")));
    }

    [Fact]
    public void Under_a_job_the_store_selects_its_plugins_over_reference_conf_and_the_jobs_own_sql_keys_still_apply()
    {
        var job = JobConfig.FromText("akka.persistence.journal.sql.batch-size = 7");
        var persistence = PersistenceConfig.ForRun(ActorTrainSettings.Create(job).Persistence, _runFolder);

        var config = PersistenceConfig.Apply(job, persistence, _runFolder);

        Assert.Equal("akka.persistence.journal.inmem", job.GetString("akka.persistence.journal.plugin")); // what reference.conf says
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal(persistence.ConnectionString, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(7, config.GetInt("akka.persistence.journal.sql.batch-size"));
    }

    [Fact]
    public void Postgresql_gets_the_sql_plugins_on_the_configured_server_and_no_file_is_made()
    {
        const string server = "Host=db.example;Database=actortrain;Username=actortrain;Password=pw";
        var persistence = PersistenceConfig.ForRun(Read($"store = postgresql, connection-string = \"{server}\""), _runFolder);

        var config = PersistenceConfig.For(persistence, _runFolder);

        Assert.Equal(server, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("PostgreSQL.15", config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.Equal(3, config.GetInt("akka.persistence.journal.sql.parallelism")); // the plugin's default: PostgreSQL takes several writers
        Assert.Empty(Directory.GetFiles(_runFolder));
    }

    [Fact]
    public void An_sqlite_file_that_cannot_be_created_is_a_settings_error_naming_the_key()
    {
        var blocker = Path.Combine(_runFolder, "a-file");
        File.WriteAllText(blocker, "");
        var persistence = Read($"connection-string = \"Data Source={blocker}/state.db\"");

        var error = Assert.Throws<SettingsException>(() => PersistenceConfig.For(persistence, _runFolder));

        Assert.Contains($"cannot open the SQLite database {blocker}/state.db (actortrain.persistence.connection-string)", error.Message);
    }

    private static string? JournalMode(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return command.ExecuteScalar() as string;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_runFolder, recursive: true);
    }
}
