using ActorTrain.Actors.Settings;
using ActorTrain.Core.Durability;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

/// <summary>actortrain.persistence: the documented defaults, and a message naming the key for every bad value.</summary>
public sealed class PersistenceSettingsTests
{
    private const string Postgres = "Host=db.example;Port=5432;Database=actortrain;Username=actortrain;Password=s3cret";

    private static PersistenceSettings Read(string body) =>
        ActorTrainSettings.Create(JobConfig.FromText($"actortrain.persistence {{ {body} }}")).Persistence;

    private static string Error(string body) => Assert.Throws<SettingsException>(() => Read(body)).Message;

    [Fact]
    public void The_defaults_are_sqlite_in_the_run_folder_and_those_documented_in_reference_conf()
    {
        var persistence = ActorTrainSettings.Create(JobConfig.Reference).Persistence;

        Assert.Equal(new PersistenceSettings(PersistenceStore.Sqlite, "", "",
            new SnapshotSettings(EveryUpdates: 200, TimeSpan.FromSeconds(10), Keep: 2, CallTimeout: TimeSpan.FromSeconds(60),
                new SnapshotRetry(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30))),
            UpstreamBackupBytes: 256L << 20, new CheckpointSettings(EveryUpdates: 500), CoordinatorSnapshotEvery: 10_000), persistence);
        Assert.Equal(new SnapshotPolicy(200, TimeSpan.FromSeconds(10), 2, SnapshotRetry.Default), persistence.Snapshot.Policy);
    }

    [Fact]
    public void Postgresql_with_a_connection_string_is_read_as_given()
    {
        var persistence = Read($"store = postgresql, connection-string = \"{Postgres}\", run-id = run-7, upstream-backup-bytes = 64KiB, " +
                               "coordinator-snapshot-every = 7, checkpoint { every-updates = 0 } " +
                               "snapshot { every-updates = 0, every = 2m, keep = 5, call-timeout = 5m, retry-min-backoff = 200ms, retry-max-backoff = 1m }");

        Assert.Equal(new PersistenceSettings(PersistenceStore.PostgreSql, Postgres, "run-7",
            new SnapshotSettings(0, TimeSpan.FromMinutes(2), 5, TimeSpan.FromMinutes(5),
                new SnapshotRetry(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1))), 65536, new CheckpointSettings(0), 7), persistence);
        Assert.Equal("run-7/shard-3", persistence.PersistenceId("shard-3"));
        Assert.Equal("run-7/coordinator", persistence.PersistenceId("coordinator"));
        Assert.Equal("run-7/coordinator", persistence.CoordinatorPersistenceId);
    }

    [Fact]
    public void Postgresql_without_a_connection_string_names_the_key_and_shows_what_to_write()
    {
        Assert.Equal("actortrain.persistence.connection-string is empty: store = postgresql needs a connection string such as " +
                     "\"Host=db.example;Port=5432;Database=actortrain;Username=actortrain;Password=...\" (see hocon/postgres.hocon).",
            Error("store = postgresql"));
    }

    [Fact]
    public void An_unknown_store_names_the_key_the_value_and_the_choices()
    {
        Assert.Equal("actortrain.persistence.store = mysql is not valid: expected one of sqlite, postgresql.", Error("store = mysql"));
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "connection-string = \"Host=x;Password\"", "actortrain.persistence.connection-string is not a valid connection string" },
        { "run-id = \"a/b\"", "actortrain.persistence.run-id = a/b is not valid: expected a name without '/'" },
        { "snapshot.every-updates = -1", "actortrain.persistence.snapshot.every-updates = -1 is not valid: expected an integer from 0 to 1000000000." },
        { "snapshot.every = soon", "actortrain.persistence.snapshot.every = soon is not valid: expected 0 or a positive duration" },
        { "snapshot.keep = 0", "actortrain.persistence.snapshot.keep = 0 is not valid: expected an integer from 1 to 1000." },
        { "snapshot.call-timeout = 0s", "actortrain.persistence.snapshot.call-timeout = 0s is not valid: expected a positive duration" },
        {
            "snapshot { every-updates = 0, every = 0 }",
            "actortrain.persistence.snapshot.every-updates and actortrain.persistence.snapshot.every are both 0: shards would never snapshot"
        },
        { "snapshot.retry-min-backoff = 0s", "actortrain.persistence.snapshot.retry-min-backoff = 0s is not valid: expected a positive duration" },
        {
            "snapshot { retry-min-backoff = 5s, retry-max-backoff = 2s }",
            "actortrain.persistence.snapshot.retry-max-backoff = 2s is shorter than actortrain.persistence.snapshot.retry-min-backoff = 5s"
        },
        { "upstream-backup-bytes = lots", "actortrain.persistence.upstream-backup-bytes = lots is not valid: expected a size in bytes such as 65536, 64KiB or 256MiB, at least 0." },
        { "upstream-backup-bytes = -1", "actortrain.persistence.upstream-backup-bytes = -1 is not valid: expected a size in bytes" },
        { "checkpoint.every-updates = -5", "actortrain.persistence.checkpoint.every-updates = -5 is not valid: expected an integer from 0 to 1000000000." },
        { "coordinator-snapshot-every = often", "actortrain.persistence.coordinator-snapshot-every = often is not valid: expected an integer" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_is_named_with_its_key(string body, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Error(body));
    }

    [Fact]
    public void The_password_stays_out_of_the_settings_text_and_of_connection_string_errors()
    {
        var text = Read($"store = postgresql, connection-string = \"{Postgres}\"").ToString();
        var error = Error("connection-string = \"Password=s3cret;Host\"");

        Assert.DoesNotContain("s3cret", text);
        Assert.Contains("password=***", text);
        Assert.DoesNotContain("s3cret", error);
    }

    [Fact]
    public void The_pinned_store_written_for_child_processes_reads_back_to_the_same_settings()
    {
        var awkward = PersistenceSettings.Create(new SettingsReader(JobConfig.Reference, PersistenceSettings.Section)) with
        {
            ConnectionString = "Data Source=/tmp/a \"quoted\" \\ dir/state.db;Default Timeout=60",
            RunId = "job-20261201-101010",
        };

        Assert.Equal(awkward, ActorTrainSettings.Create(JobConfig.FromText(awkward.ToHocon())).Persistence);
    }

    [Fact]
    public void The_postgres_job_file_selects_postgresql_on_the_local_ci_server()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ActorTrain.sln"))) root = root.Parent ?? throw new InvalidOperationException("no ActorTrain.sln above the tests");

        var persistence = ActorTrainSettings.Create(JobConfig.FromFile(Path.Combine(root.FullName, "hocon", "postgres.hocon"))).Persistence;

        Assert.Equal(PersistenceStore.PostgreSql, persistence.Store);
        Assert.Equal("Host=127.0.0.1;Port=5432;Database=actortrain;Username=actortrain;Password=actortrain", persistence.ConnectionString);
    }

    [Fact]
    public void A_persistence_id_needs_a_run_id()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read("").PersistenceId("shard-0"));
        Assert.Contains("actortrain.persistence.run-id is empty", error.Message);
    }
}
