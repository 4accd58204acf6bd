using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.TestKit;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A shard whose newest snapshot is damaged on disk (in the run's SQLite store, bytes changed after they were written)
/// never loads it: it logs which snapshot was damaged and recovers from the one before, or, with none, from its initial
/// weights, logged loudly.
/// </summary>
public sealed class DamagedSnapshotSpecs : Akka.TestKit.Xunit2.TestKit
{
    private const int ShardId = 0;
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(60);
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 7f, -2f, 0.125f, 9f, 1.5f];
    private readonly string _persistenceId;
    private readonly string _connectionString;

    public DamagedSnapshotSpecs()
        : this(Directory.CreateTempSubdirectory("actortrain-damaged-").FullName)
    {
    }

    private DamagedSnapshotSpecs(string runFolder)
        : this(PersistenceConfig.ForRun(ActorTrainSettings.Create(JobConfig.FromText($"actortrain.persistence {{ store = sqlite, run-id = test-{Guid.NewGuid():N} }}")).Persistence, runFolder), runFolder)
    {
    }

    private DamagedSnapshotSpecs(PersistenceSettings persistence, string runFolder)
        : base(PersistenceConfig.For(persistence, runFolder).WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
        _persistenceId = persistence.PersistenceId("shard-0");
        _connectionString = persistence.ConnectionString;
    }

    /// <summary>How the stored bytes of the newest snapshot are damaged.</summary>
    public enum Damage
    {
        /// <summary>One byte of the weights flipped: the payload's checksum no longer matches.</summary>
        FlippedWeightByte,

        /// <summary>Cut in half: the snapshot cannot be deserialized at all.</summary>
        Truncated,
    }

    private IActorRef Shard() =>
        Sys.ActorOf(ShardSupervision.Props(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], PlainSgd, 100,
            ConsistencyMode.Asp, PayloadEncoding.F32, new ShardDurability(_persistenceId, new SnapshotPolicy(0, TimeSpan.Zero, Keep: 2)))));

    private static PushGradients Push(long seq) =>
        new(ShardId, "w", 1, seq, 0, 0, 1, Samples: 1, BaseVersion: 0, TensorPayload.Encode([.. Initial.Select(v => v / 8 + seq)], PayloadEncoding.F32));

    /// <summary>Applies one push and has the shard snapshot it (as at a job's end), giving the weights the snapshot holds.</summary>
    private ShardWeights PushAndSnapshot(IActorRef shard, TestProbe worker, long seq)
    {
        worker.Send(shard, Push(seq));
        worker.FishForMessage<GradientsApplied>(a => a.Seq == seq, StoreTimeout);
        shard.Tell(new ReportStatistics(ShardId));
        ExpectMsg<ShardStatistics>(StoreTimeout);
        return Pull(shard, worker);
    }

    private static ShardWeights Pull(IActorRef shard, TestProbe worker)
    {
        worker.Send(shard, new PullShard(ShardId, 0, Exact: true));
        return worker.FishForMessage<ShardWeights>(_ => true, StoreTimeout);
    }

    private void Stop(IActorRef shard)
    {
        Watch(shard);
        Sys.Stop(shard);
        ExpectTerminated(shard, StoreTimeout);
    }

    /// <summary>Changes the stored bytes of snapshot <paramref name="sequenceNr"/> the way <paramref name="damage"/> says.</summary>
    private void DamageSnapshot(long sequenceNr, Damage damage, ShardWeights held)
    {
        using var database = new SqliteConnection(_connectionString);
        database.Open();
        using var read = database.CreateCommand();
        read.CommandText = "SELECT snapshot FROM snapshot WHERE persistence_id = $id AND sequence_number = $seq";
        read.Parameters.AddWithValue("$id", _persistenceId);
        read.Parameters.AddWithValue("$seq", sequenceNr);
        var bytes = Assert.IsType<byte[]>(read.ExecuteScalar());
        if (damage == Damage.Truncated) bytes = bytes[..(bytes.Length / 2)];
        else
        {
            var at = bytes.AsSpan().IndexOf(held.Weights.Bytes);
            Assert.True(at >= 0, "the snapshot's weight bytes were not found in its row");
            bytes[at + 5] ^= 0x40;
        }
        using var write = database.CreateCommand();
        write.CommandText = "UPDATE snapshot SET snapshot = $bytes WHERE persistence_id = $id AND sequence_number = $seq";
        write.Parameters.AddWithValue("$bytes", bytes);
        write.Parameters.AddWithValue("$id", _persistenceId);
        write.Parameters.AddWithValue("$seq", sequenceNr);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    [Theory]
    [InlineData(Damage.FlippedWeightByte)]
    [InlineData(Damage.Truncated)]
    public void A_damaged_newest_snapshot_is_not_loaded_and_the_shard_recovers_from_the_one_before(Damage damage)
    {
        var worker = CreateTestProbe();
        var shard = Shard();
        var first = PushAndSnapshot(shard, worker, seq: 1);
        var second = PushAndSnapshot(shard, worker, seq: 2);
        Stop(shard);
        DamageSnapshot(2, damage, second);

        IActorRef again = ActorRefs.Nobody;
        ShardWeights? recovered = null;
        EventFilter.Error(contains: "snapshot #2 is damaged").ExpectOne(StoreTimeout, () =>
        {
            again = Shard();
            recovered = Pull(again, worker); // answered once the shard has recovered
        });

        Assert.Equal(1, recovered!.Version);
        Assert.True(first.Weights.Bytes.AsSpan().SequenceEqual(recovered.Weights.Bytes), "the shard did not come back with snapshot #1's weights");
        // It goes on from there: the replayed push is applied again, and the next snapshot is numbered above the damaged one.
        worker.Send(again, Push(2));
        Assert.Equal(new ShardStarted(ShardId, 1), worker.FishForMessage<ShardStarted>(_ => true, StoreTimeout)); // workers replay from version 1
        Assert.Equal(2, worker.FishForMessage<GradientsApplied>(a => a.Seq == 2, StoreTimeout).Version);
        again.Tell(new ReportStatistics(ShardId));
        Assert.Equal(3, ExpectMsg<ShardStatistics>(StoreTimeout).Snapshots);
        Assert.True(second.Weights.Bytes.AsSpan().SequenceEqual(Pull(again, worker).Weights.Bytes), "the replay did not give back version 2's weights");
    }

    [Fact]
    public void With_no_older_snapshot_the_shard_starts_from_its_initial_weights_and_says_so()
    {
        var worker = CreateTestProbe();
        var shard = Shard();
        var only = PushAndSnapshot(shard, worker, seq: 1);
        Stop(shard);
        DamageSnapshot(1, Damage.FlippedWeightByte, only);

        ShardWeights? recovered = null;
        EventFilter.Error(contains: "INITIAL WEIGHTS").ExpectOne(StoreTimeout, () => recovered = Pull(Shard(), worker));

        Assert.Equal(0, recovered!.Version);
        Assert.Equal(Initial, Floats(recovered));
    }

    private static float[] Floats(ShardWeights weights)
    {
        var values = new float[weights.Weights.ElementCount];
        weights.Weights.DecodeInto(values);
        return values;
    }
}
