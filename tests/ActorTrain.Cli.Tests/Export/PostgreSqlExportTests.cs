using System.Text.Json.Nodes;
using Npgsql;
using Xunit;
using static ActorTrain.Cli.Tests.Export.FinishedRun;

namespace ActorTrain.Cli.Tests.Export;

/// <summary>
/// Export from a run whose state is in PostgreSQL (the server named by $ACTORTRAIN_TEST_POSTGRES, which <c>bash .ci/run</c>
/// starts and sets): the same snapshots, read through the same Akka.Persistence snapshot store. Without the variable
/// this test fails, saying so: it is not skipped in silence.
/// </summary>
public sealed class PostgreSqlExportTests : IDisposable
{
    private const string Variable = "ACTORTRAIN_TEST_POSTGRES";
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-export-pg-").FullName;
    private readonly string _runId = $"export-pg-{Guid.NewGuid():N}";

    private static string ConnectionString() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: this test needs a PostgreSQL server. Run the tests with `bash .ci/run` (it starts one and sets " +
            $"{Variable}), or set it, e.g. {Variable}=\"Host=127.0.0.1;Port=5432;Database=actortrain;Username=actortrain;Password=actortrain\".");

    [Fact]
    public async Task A_run_stored_in_postgresql_exports_its_final_weights()
    {
        var job = Path.Combine(_directory, "job.hocon");
        await File.WriteAllTextAsync(job, $$"""
            akka.loglevel = WARNING
            actortrain {
              job { name = export-pg, epochs = 1, workers = 1, shards = 2 }
              model { hidden = [8] }
              data { task = synthetic, validation-size = 32, synthetic { train-size = 128, test-size = 32, features = 4, classes = 3 } }
              training { micro-batch-size = 16, batch-size = 32 }
              persistence { store = postgresql, run-id = {{_runId}}, connection-string = "{{ConnectionString()}}" }
              torch { threads = 1 }
            }
            """);
        var runs = Path.Combine(_directory, "runs");
        var (code, _, error) = await Actortrain("run", job, "--in-process", "--quiet", "--runs-dir", runs);
        Assert.True(code == 0, error);
        var folder = Directory.GetDirectories(runs).Single();
        var sha256 = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!["weights_sha256"]!;

        (code, var output, error) = await Actortrain("export", folder, "--format", "safetensors");

        Assert.True(code == 0, error);
        Assert.Contains($"exported {_runId} (mlp 4-8-3) as safetensors", output);
        Assert.Contains($"weights sha256: {sha256} (matches weights_sha256 in summary.json", output);
        Assert.False(File.Exists(Path.Combine(folder, "state.db")), "a PostgreSQL run has no SQLite file");
    }

    /// <summary>The database holds other runs too: remove this one's rows.</summary>
    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } connectionString) return;
        using var database = new NpgsqlConnection(connectionString);
        database.Open();
        foreach (var table in new[] { "journal", "snapshot" })
        {
            using var command = database.CreateCommand();
            command.CommandText = $"DELETE FROM {table} WHERE persistence_id LIKE @prefix";
            command.Parameters.Add(new NpgsqlParameter("prefix", $"{_runId}/%"));
            command.ExecuteNonQuery();
        }
    }
}
