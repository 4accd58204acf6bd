using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Tests.ParameterServer;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Pattern;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>
/// A live switch to BSP against real shards, one of them restarting when the coordinator asks for its version: the
/// question dies with the old instance, the coordinator asks again, and the switch completes.
/// </summary>
public sealed class ModeSwitchShardRestartSpecs : CoordinatorSpec
{
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);

    public ModeSwitchShardRestartSpecs() => TorchRuntime.EnsureReady();

    /// <summary>
    /// A real shard under a backoff supervisor like <see cref="ShardSupervision"/>'s, but one that waits 2 s before starting a
    /// stopped shard again: long enough that what is sent just after a kill surely reaches no instance.
    /// </summary>
    private IActorRef Shard(int shardId) =>
        Sys.ActorOf(BackoffSupervisor.Props(Backoff.OnStop(
            ParameterShard.Props(new ShardRange(shardId, 0, 3), [0.5f, -1.25f, 3.1f], PlainSgd, 100, ConsistencyMode.Asp, PayloadEncoding.F32,
                ShardSpec.NoSnapshots()),
            ShardSupervision.ChildName, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 0, maxNrOfRetries: -1)));

    [Fact]
    public async Task A_switch_to_bsp_completes_though_a_shard_was_restarting_when_asked_for_its_version()
    {
        IActorRef[] shards = [Shard(0), Shard(1)];
        var coordinator = Coordinator(ConsistencyMode.Asp, new CheckpointSchedule(0, Plan.TotalMicroBatches), shards);
        var child = (await shards[0].Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, TimeSpan.FromSeconds(10))).Ref;
        Assert.NotNull(child);
        Watch(child!);
        child!.Tell(Kill.Instance);
        ExpectTerminated(child!, TimeSpan.FromSeconds(10));

        coordinator.Tell(new ChangeMode("bsp", 0), TestActor);

        ExpectMsg<ModeChangePending>(TimeSpan.FromSeconds(10));
        // The first ReportVersion to shard 0 reaches no instance; the coordinator asks again every 5 s.
        var changed = ExpectMsg<ModeChanged>(TimeSpan.FromSeconds(60));
        Assert.Equal(("bsp", 0L, 0L), (changed.Mode, changed.AtUpdate, changed.StartVersion));
        // The restarted shard runs BSP: both micro-batches of step 0 are acked with the one version (ASP would give 1 and 2).
        var worker = CreateTestProbe();
        worker.IgnoreMessages(m => m is ShardStarted or ShardSnapshotted);
        worker.Send(shards[0], Push(0, seq: 1, index: 0));
        worker.Send(shards[0], Push(0, seq: 2, index: 1));
        Assert.Equal([1L, 1L], worker.ReceiveN(2, TimeSpan.FromSeconds(10)).Cast<GradientsApplied>().Select(a => a.Version));
    }

    private static PushGradients Push(int shardId, long seq, int index) =>
        new(shardId, "w", 1, seq, Step: 0, index, MicroBatchesInStep: 2, Samples: 1, BaseVersion: 0, TensorPayload.Encode([0.25f, -0.5f, 1f], PayloadEncoding.F32));
}
