using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Worker;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// A node that joins a running job's cluster through the head's address (a child of <c>actortrain run</c>, or
/// <c>actortrain node</c> on another machine) with the roles <c>worker</c> (one model replica), <c>ps</c> (a shard region
/// that hosts whichever parameter shards are placed here) and/or <c>coordinator</c> (a standby: the coordinator singleton's
/// manager, with an evaluator and an observer of its own, so that it takes the job over when the head dies). It ends when
/// its worker is done, when no coordinator node is left (<see cref="NodeGuard"/>), when the job it took over is complete,
/// or when stopped.
/// </summary>
public static class ClusterNode
{
    public const string WorkerRole = "worker";

    /// <summary>How long a leaving worker may take to finish its micro-batch and hand the rest back.</summary>
    private static readonly TimeSpan HandBackTimeout = TimeSpan.FromSeconds(10);

    public static readonly IReadOnlySet<string> JoinableRoles = new HashSet<string> { WorkerRole, ShardEntities.Role, JobHead.CoordinatorRole };

    /// <param name="listener">With the coordinator role: what the job reports if this node ends up holding the coordinator.</param>
    /// <param name="parentGone">Fires when the process that started this node is gone (see <see cref="NodeGuard"/>).</param>
    public static async Task<NodeResult> RunAsync(Config config, ActorTrainSettings settings, JobData data, IReadOnlyCollection<string> roles,
        string workerId, string seed, int port, CancellationToken cancellation = default, CancellationToken parentGone = default,
        Action? joined = null, IJobListener? listener = null)
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
                return new NodeResult(NodeOutcome.NotJoined);
            }
            var region = roles.Contains(ShardEntities.Role) ? JobHead.StartShardRegion(system, settings, data) : null;
            var completed = new TaskCompletionSource<JobCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (roles.Contains(JobHead.CoordinatorRole))
            {
                var observer = system.ActorOf(JobObserver.Props(listener ?? throw new ArgumentNullException(nameof(listener)), completed), "observer");
                // Never a resume here: a standby's coordinator replays the journal of the running job as it stands.
                JobHead.StartHead(system, settings, data, observer, region ?? ShardEntities.StartProxy(system));
            }
            IActorRef? worker = null;
            if (roles.Contains(WorkerRole))
                worker = JobHead.StartWorker(system, workerId, Incarnation(), JobHead.Join(system, data.Shards.ShardCount, region), settings, data);
            joined?.Invoke();
            var outcome = new TaskCompletionSource<NodeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var guard = system.ActorOf(NodeGuard.Props(worker, Address.Parse(seed), outcome), "guard");
            using var registration = cancellation.Register(() => outcome.TrySetResult(NodeOutcome.Stopped));
            using var onParentGone = parentGone.Register(() => guard.Tell(NodeGuard.ParentGone.Instance));
            // Made to leave by the node that ended the job, this node's cluster shuts its system down, maybe before the guard hears of it.
            Cluster.Get(system).RegisterOnMemberRemoved(() => outcome.TrySetResult(NodeOutcome.JobEnded));
            if (await Task.WhenAny(outcome.Task, completed.Task).ConfigureAwait(false) == completed.Task)
            {
                // This node took the job over and finished it: the other standbys go before it leaves.
                await CoordinatorNodes.ReleaseOthers(system).ConfigureAwait(false);
                return new NodeResult(NodeOutcome.JobEnded, await completed.Task.ConfigureAwait(false));
            }
            var ended = await outcome.Task.ConfigureAwait(false);
            if (ended == NodeOutcome.Stopped && worker != null) await HandBack(worker).ConfigureAwait(false);
            return new NodeResult(ended);
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
}
