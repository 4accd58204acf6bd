using System.Data.Common;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// The corrupt-snapshot fault: changes bytes in the middle of a shard's newest stored snapshot, in the run's own store (the
/// SQLite file or PostgreSQL database its config.hocon names), as a bad disk or a torn write would.
/// </summary>
public static class SnapshotDamage
{
    /// <summary>Whether the shard has a stored snapshot to damage yet.</summary>
    public static async Task<bool> HasSnapshotAsync(string runFolder, int shard, CancellationToken cancellation)
    {
        var (connection, persistenceId) = await OpenAsync(runFolder, shard, cancellation).ConfigureAwait(false);
        await using (connection)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = @id";
            Add(count, "@id", persistenceId);
            return Convert.ToInt64(await count.ExecuteScalarAsync(cancellation).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
    }

    /// <summary>What was damaged (persistence id and sequence number), or null when the shard has no snapshot yet.</summary>
    public static async Task<string?> DamageNewestAsync(string runFolder, int shard, CancellationToken cancellation)
    {
        var (opened, persistenceId) = await OpenAsync(runFolder, shard, cancellation).ConfigureAwait(false);
        await using var connection = opened;
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT sequence_number, snapshot FROM snapshot WHERE persistence_id = @id ORDER BY sequence_number DESC LIMIT 1";
        Add(select, "@id", persistenceId);
        long sequence;
        byte[] bytes;
        await using (var reader = await select.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellation).ConfigureAwait(false)) return null;
            sequence = reader.GetInt64(0);
            bytes = (byte[])reader.GetValue(1);
        }
        // An addition, not a XOR: damaging the same snapshot twice must not repair it. Two corrupt-snapshot faults met the
        // same newest snapshot, the second flip undid the first, and a later recovery loaded a snapshot that an earlier one
        // had refused, from a line of history the workers had already replayed past (soak-3-095).
        for (var i = bytes.Length / 3; i < bytes.Length * 2 / 3; i += 97) bytes[i] = unchecked((byte)(bytes[i] + 0x5B));
        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE snapshot SET snapshot = @bytes WHERE persistence_id = @id AND sequence_number = @seq";
        Add(update, "@bytes", bytes);
        Add(update, "@id", persistenceId);
        Add(update, "@seq", sequence);
        await update.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        return $"snapshot #{sequence} of {persistenceId} ({bytes.Length} bytes)";
    }

    private static async Task<(DbConnection Connection, string PersistenceId)> OpenAsync(string runFolder, int shard, CancellationToken cancellation)
    {
        var config = ConfigurationFactory.ParseString(await File.ReadAllTextAsync(Path.Combine(runFolder, "config.hocon"), cancellation).ConfigureAwait(false));
        var runId = config.GetString("persistence.run-id", "");
        if (runId.Length == 0) runId = Path.GetFileName(Path.TrimEndingDirectorySeparator(runFolder));
        var connection = Open(config.GetString("persistence.store", "sqlite"), config.GetString("persistence.connection-string", ""), runFolder);
        await connection.OpenAsync(cancellation).ConfigureAwait(false);
        return (connection, $"{runId}/shard-{shard}");
    }

    private static DbConnection Open(string store, string connectionString, string runFolder) => store == "postgresql"
        ? new NpgsqlConnection(connectionString)
        : new SqliteConnection(connectionString.Length > 0 ? connectionString : $"Data Source={Path.Combine(runFolder, "state.db")};Default Timeout=30");

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
