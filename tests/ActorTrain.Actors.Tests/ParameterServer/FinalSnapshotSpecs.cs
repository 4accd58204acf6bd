using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// At the job's end a shard answers <see cref="ReportStatistics"/> only once its applied state is in the snapshot store,
/// so a run never ends (and its ActorSystem never stops) with the final weights still unwritten.
/// </summary>
public sealed class FinalSnapshotSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly OptimizerSpec Sgd = new(OptimizerKind.Sgd, 0.1, 0, 0, 0.9, 0.999, false);

    public FinalSnapshotSpecs()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
        IgnoreMessages(m => m is ShardStarted or ShardSnapshotted);
    }

    [Fact]
    public async Task The_statistics_come_after_the_final_snapshot_is_saved_and_that_snapshot_holds_the_last_version()
    {
        var persistenceId = $"final-{Guid.NewGuid():N}";
        // A policy that is never due: the only snapshot is the one the job's end asks for.
        var shard = Sys.ActorOf(ParameterShard.Props(new ShardRange(0, 0, 2), [1f, 2f], Sgd, 100, ConsistencyMode.Asp, PayloadEncoding.F32,
            ShardSpec.NoSnapshots(persistenceId)));
        for (var seq = 1; seq <= 3; seq++)
        {
            shard.Tell(new PushGradients(0, "w", 1, seq, 0, 0, 1, 1, 0, TensorPayload.Encode([0.5f, -0.25f], PayloadEncoding.F32)));
            ExpectMsg<GradientsApplied>(a => a.Seq == seq);
        }

        shard.Tell(new ReportStatistics(0));
        var statistics = ExpectMsg<ShardStatistics>();

        Assert.Equal(3, statistics.Version);
        Assert.Equal(1, statistics.Snapshots); // the sequence number of the newest snapshot the store has confirmed
        var stored = await Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null)
            .Ask<LoadSnapshotResult>(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), TimeSpan.FromSeconds(5));
        var snapshot = Assert.IsType<ShardSnapshot>(stored.Snapshot?.Snapshot);
        Assert.Equal(3, snapshot.Version);
    }

    [Fact]
    public void A_shard_whose_state_is_already_stored_answers_at_once_without_another_snapshot()
    {
        var shard = Sys.ActorOf(ParameterShard.Props(new ShardRange(0, 0, 2), [1f, 2f], Sgd, 100, ConsistencyMode.Asp, PayloadEncoding.F32,
            ShardSpec.NoSnapshots()));
        shard.Tell(new ReportStatistics(0));
        var statistics = ExpectMsg<ShardStatistics>();
        Assert.Equal(0, statistics.Version);
        Assert.Equal(0, statistics.Snapshots);
    }
}
