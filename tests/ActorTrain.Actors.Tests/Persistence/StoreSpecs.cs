using System.Data.Common;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Codecs;
using Akka.Actor;
using Xunit;

namespace ActorTrain.Actors.Tests.Persistence;

/// <summary>
/// The run's store, whatever the database: a persistent actor's snapshot (a shard's weights, megabytes of tensor bytes)
/// and its events survive the actor, and both are written by ActorTrain's serializer. Each store's class supplies the
/// database; each test stores under its own run id, so runs sharing one database do not meet.
/// </summary>
public abstract class StoreSpecs : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Generous: the first write creates the tables, and this machine is shared.</summary>
    protected static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(60);

    private const int PayloadBytes = 8 << 20;

    protected StoreSpecs(PersistenceSettings persistence, string runFolder)
        : base(PersistenceConfig.For(persistence, runFolder).WithFallback(JobConfig.Reference))
    {
        Persistence = persistence;
    }

    protected PersistenceSettings Persistence { get; }

    /// <summary>A connection to the store's database, to read the rows the plugin wrote.</summary>
    protected abstract DbConnection OpenDatabase();

    /// <summary>A run's persistence settings as the CLI makes them: from HOCON, then pinned to a run folder.</summary>
    protected static PersistenceSettings Settings(string hocon, string runFolder) =>
        PersistenceConfig.ForRun(ActorTrainSettings.Create(JobConfig.FromText(hocon)).Persistence, runFolder);

    protected static string NewRunId() => $"test-{Guid.NewGuid():N}";

    [Fact]
    public void A_snapshot_and_the_events_after_it_survive_the_actor_being_stopped_and_created_again()
    {
        var id = Persistence.PersistenceId("shard-3");
        var weights = Weights();
        var probe = Sys.ActorOf(SnapshotProbe.Props(id));
        probe.Tell(new SnapshotProbe.Remember(new WorkerLeft("before the snapshot")));
        Assert.Equal(1, ExpectMsg<SnapshotProbe.Remembered>(StoreTimeout).SequenceNr);
        probe.Tell(new SnapshotProbe.TakeSnapshot(weights));
        Assert.Equal(1, ExpectMsg<SnapshotProbe.SnapshotTaken>(StoreTimeout).SequenceNr);
        probe.Tell(new SnapshotProbe.Remember(new WorkerLeft("after the snapshot")));
        Assert.Equal(2, ExpectMsg<SnapshotProbe.Remembered>(StoreTimeout).SequenceNr);

        Watch(probe);
        Sys.Stop(probe);
        ExpectTerminated(probe);
        var again = Sys.ActorOf(SnapshotProbe.Props(id));
        again.Tell(new SnapshotProbe.Report());
        var recovered = ExpectMsg<SnapshotProbe.Recovered>(StoreTimeout);

        Assert.Equal(1, recovered.SnapshotSequenceNr);
        Assert.Equal([new WorkerLeft("after the snapshot")], recovered.Events); // the one before is inside the snapshot
        var restored = Assert.IsType<ShardWeights>(recovered.Weights);
        Assert.Equal((weights.ShardId, weights.Version, weights.Weights.Encoding, weights.Weights.ElementCount),
            (restored.ShardId, restored.Version, restored.Weights.Encoding, restored.Weights.ElementCount));
        Assert.Null(restored.Weights.Damage);
        Assert.True(weights.Weights.Bytes.AsSpan().SequenceEqual(restored.Weights.Bytes), "the snapshot's tensor bytes came back different");
    }

    [Fact]
    public void Snapshots_and_events_are_written_by_the_ActorTrain_serializer_as_raw_bytes_not_json()
    {
        var id = Persistence.PersistenceId("shard-0");
        var probe = Sys.ActorOf(SnapshotProbe.Props(id));
        probe.Tell(new SnapshotProbe.Remember(new WorkerLeft("worker-1")));
        ExpectMsg<SnapshotProbe.Remembered>(StoreTimeout);
        probe.Tell(new SnapshotProbe.TakeSnapshot(Weights()));
        ExpectMsg<SnapshotProbe.SnapshotTaken>(StoreTimeout);

        using var database = OpenDatabase();
        var (snapshotSerializer, snapshotBytes) = Row(database, "SELECT serializer_id, length(snapshot) FROM snapshot WHERE persistence_id = @id", id);
        var (eventSerializer, _) = Row(database, "SELECT identifier, length(message) FROM journal WHERE persistence_id = @id", id);

        Assert.Equal(ActorTrainSerializer.SerializerId, snapshotSerializer);
        Assert.Equal(ActorTrainSerializer.SerializerId, eventSerializer);
        // JSON would write the bytes as base64 (a third more); MessagePack adds a header of a few dozen bytes.
        Assert.InRange(snapshotBytes, PayloadBytes, PayloadBytes + 256);
    }

    private static (int Serializer, long Bytes) Row(DbConnection database, string sql, string persistenceId)
    {
        using var command = database.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "id";
        parameter.Value = persistenceId;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row for {persistenceId}: {sql}");
        var row = (Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                   Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(reader.Read(), $"more than one row for {persistenceId}: {sql}");
        return row;
    }

    /// <summary>A shard's weights with <see cref="PayloadBytes"/> of seeded bytes.</summary>
    private static ShardWeights Weights()
    {
        var bytes = new byte[PayloadBytes];
        new Random(7).NextBytes(bytes);
        return new ShardWeights(ShardId: 3, Version: 1234, new TensorPayload(PayloadEncoding.F32, PayloadBytes / sizeof(float), bytes));
    }
}
