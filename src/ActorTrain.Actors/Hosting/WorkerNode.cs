using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// A worker process: joins the job's cluster through the head's address, finds the coordinator and the
/// shards there, runs one worker, and leaves when training is over or the head is gone.
/// </summary>
public static class WorkerNode
{
    public static readonly string[] Roles = ["worker"];

    public static async Task<WorkerNodeOutcome> RunAsync(Config config, ActorTrainSettings settings, JobData data, string workerId, string seed,
        int port, CancellationToken cancellation = default)
    {
        TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
        FrameSizeCheck.Check(config, settings.Wire);
        var system = ActorSystem.Create(ClusterConfig.SystemName, ClusterConfig.For(config, settings.Cluster, port, Roles, seed));
        try
        {
            await ClusterHead.MemberUp(system, settings.Cluster.JoinTimeout, cancellation).ConfigureAwait(false);
            var timeout = settings.Cluster.JoinTimeout;
            var coordinator = await system.ActorSelection($"{seed}/user/{JobHead.CoordinatorName}").ResolveOne(timeout, cancellation).ConfigureAwait(false);
            var shards = new IActorRef[data.Shards.ShardCount];
            for (var s = 0; s < shards.Length; s++)
                shards[s] = await system.ActorSelection($"{seed}/user/{ParameterShard.Name(s)}").ResolveOne(timeout, cancellation).ConfigureAwait(false);

            var outcome = new TaskCompletionSource<WorkerNodeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var worker = JobHead.StartWorker(system, workerId, Incarnation(), new JobHead.Roles(coordinator, shards), settings, data);
            system.ActorOf(Props.Create(() => new WorkerNodeGuard(worker, Address.Parse(seed), outcome)), "guard");
            using var registration = cancellation.Register(() => outcome.TrySetResult(WorkerNodeOutcome.Stopped));
            return await outcome.Task.ConfigureAwait(false);
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        }
    }

    /// <summary>A new incarnation per process start: milliseconds since the epoch only grow.</summary>
    private static long Incarnation() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Ends the node when its worker stops (training over) or when the head leaves the cluster.</summary>
    private sealed class WorkerNodeGuard : ReceiveActor
    {
        public WorkerNodeGuard(IActorRef worker, Address head, TaskCompletionSource<WorkerNodeOutcome> outcome)
        {
            var log = Context.GetLogger();
            Context.Watch(worker);
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));
            Receive<Terminated>(_ => outcome.TrySetResult(WorkerNodeOutcome.TrainingCompleted));
            Receive<ClusterEvent.MemberRemoved>(e => e.Member.Address.Equals(head), _ =>
            {
                log.Warning("the head {0} left the cluster; this worker stops", head);
                outcome.TrySetResult(WorkerNodeOutcome.HeadLost);
            });
            Receive<ClusterEvent.UnreachableMember>(e => e.Member.Address.Equals(head), _ =>
                log.Warning("the head {0} is unreachable", head));
            Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        }
    }
}
