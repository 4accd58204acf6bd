using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Worker;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// A node that joins a running job's cluster through the head's address (a child of <c>actortrain run</c>, or
/// <c>actortrain node</c> on another machine) with the roles <c>worker</c> (one model replica) and/or <c>ps</c>
/// (a shard region that hosts whichever parameter shards are placed here). It ends when its worker is done,
/// when the head leaves, or when stopped.
/// </summary>
public static class ClusterNode
{
    public const string WorkerRole = "worker";

    /// <summary>How long a leaving worker may take to finish its micro-batch and hand the rest back.</summary>
    private static readonly TimeSpan HandBackTimeout = TimeSpan.FromSeconds(10);

    public static readonly IReadOnlySet<string> JoinableRoles = new HashSet<string> { WorkerRole, ShardEntities.Role };

    public static async Task<NodeOutcome> RunAsync(Config config, ActorTrainSettings settings, JobData data, IReadOnlyCollection<string> roles,
        string workerId, string seed, int port, CancellationToken cancellation = default, Func<bool>? handBackOnStop = null, Action? joined = null)
    {
        TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
        FrameSizeCheck.Check(config, settings.Wire);
        var system = ClusterTransport.Create(ClusterConfig.For(config, settings.Cluster, port, roles, seed), settings.Cluster.Tls);
        try
        {
            try
            {
                await ClusterHead.MemberUp(system, settings.Cluster.JoinTimeout, cancellation).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return NodeOutcome.NotJoined;
            }
            var region = roles.Contains(ShardEntities.Role) ? JobHead.StartShardRegion(system, settings, data) : null;
            IActorRef? worker = null;
            if (roles.Contains(WorkerRole))
                worker = JobHead.StartWorker(system, workerId, Incarnation(), JobHead.Join(system, data.Shards.ShardCount, region), settings, data);
            joined?.Invoke();
            var outcome = new TaskCompletionSource<NodeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new NodeGuard(worker, Address.Parse(seed), outcome)), "guard");
            using var registration = cancellation.Register(() => outcome.TrySetResult(NodeOutcome.Stopped));
            var ended = await outcome.Task.ConfigureAwait(false);
            if (ended == NodeOutcome.Stopped && worker != null && (handBackOnStop?.Invoke() ?? true)) await HandBack(worker).ConfigureAwait(false);
            return ended;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        }
    }

    /// <summary>Stopped from outside: the worker finishes what it computes and hands the rest back before the node leaves.</summary>
    private static async Task HandBack(IActorRef worker)
    {
        try
        {
            await worker.GracefulStop(HandBackTimeout, LeaveJob.Instance).ConfigureAwait(false);
        }
        catch (TaskCanceledException)
        {
            // Not done in time: leaving the cluster returns its work all the same, only later.
        }
    }

    /// <summary>A new incarnation per process start: milliseconds since the epoch only grow.</summary>
    private static long Incarnation() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Ends the node when its worker stops (training over) or when the head leaves the cluster.</summary>
    private sealed class NodeGuard : ReceiveActor
    {
        public NodeGuard(IActorRef? worker, Address head, TaskCompletionSource<NodeOutcome> outcome)
        {
            var log = Context.GetLogger();
            if (worker != null) Context.Watch(worker);
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.UnreachableMember));
            Receive<Terminated>(_ => outcome.TrySetResult(NodeOutcome.JobEnded));
            Receive<ClusterEvent.MemberRemoved>(e => e.Member.Address.Equals(head), removed =>
            {
                if (removed.PreviousStatus == MemberStatus.Exiting)
                {
                    log.Info("the head {0} left the cluster: the job is over", head);
                    outcome.TrySetResult(NodeOutcome.JobEnded);
                    return;
                }
                log.Warning("the head {0} was removed from the cluster ({1}); this node stops", head, removed.PreviousStatus);
                outcome.TrySetResult(NodeOutcome.HeadLost);
            });
            Receive<ClusterEvent.UnreachableMember>(e => e.Member.Address.Equals(head), _ =>
                log.Warning("the head {0} is unreachable", head));
            Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        }
    }
}
