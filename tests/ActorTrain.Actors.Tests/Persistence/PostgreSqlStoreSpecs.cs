using System.Data.Common;
using Npgsql;

namespace ActorTrain.Actors.Tests.Persistence;

/// <summary>
/// The multi-machine store, on the PostgreSQL server named by $ACTORTRAIN_TEST_POSTGRES (<c>bash .ci/run</c> installs and
/// starts one and sets it). Without it these tests fail, saying so: they are not skipped in silence.
/// </summary>
public sealed class PostgreSqlStoreSpecs : StoreSpecs
{
    public const string Variable = "ACTORTRAIN_TEST_POSTGRES";

    public PostgreSqlStoreSpecs()
        : base(Settings($"actortrain.persistence {{ store = postgresql, run-id = {NewRunId()}, connection-string = \"{ConnectionString()}\" }}", "."), ".")
    {
    }

    internal static string ConnectionString() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: the PostgreSQL store tests need a server. Run the tests with `bash .ci/run` (it installs and starts " +
            $"PostgreSQL and sets {Variable}), or set it yourself, e.g. " +
            $"{Variable}=\"Host=127.0.0.1;Port=5432;Database=actortrain;Username=actortrain;Password=actortrain\".");

    protected override DbConnection OpenDatabase()
    {
        var connection = new NpgsqlConnection(Persistence.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>The database holds other runs too: remove this one's rows.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        using var database = OpenDatabase();
        foreach (var table in new[] { "journal", "snapshot" })
        {
            using var command = database.CreateCommand();
            command.CommandText = $"DELETE FROM {table} WHERE persistence_id LIKE @prefix";
            command.Parameters.Add(new NpgsqlParameter("prefix", $"{Persistence.RunId}/%"));
            command.ExecuteNonQuery();
        }
    }
}
