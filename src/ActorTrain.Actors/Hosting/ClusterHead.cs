using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The head node of a multi-process job: a cluster seed holding the coordinator, ps and evaluator roles.
/// Workers join it from other processes (started by the CLI as child processes, or by hand with
/// <c>actortrain node</c>) and find the roles under their fixed names. With standby coordinator nodes
/// (<c>cluster.coordinator-nodes</c> &gt; 1) the job goes on without it if it dies (<see cref="CoordinatorNodes"/>).
/// </summary>
public static class ClusterHead
{
    public static readonly string[] Roles = ["coordinator", "ps", "evaluator"];

    /// <param name="startChildren">
    /// Called with the head's address and the node roles to start: first ("ps", n) for the n extra ps nodes
    /// (when <c>cluster.ps-nodes</c> &gt; 1) and ("coordinator", n) for the n standbys (when <c>cluster.coordinator-nodes</c>
    /// &gt; 1), then ("worker", job.workers). What it returns is disposed at the end: workers first (they stop once
    /// training is over), then the standbys are made to leave, and ps nodes and standbys after the head has left.
    /// </param>
    /// <param name="resume">Continue the run stored under <c>actortrain.persistence.run-id</c> from its last complete checkpoint.</param>
    public static async Task<JobCompleted> RunAsync(Config config, ActorTrainSettings settings, JobData data, IJobListener listener,
        Func<string, string, int, IAsyncDisposable> startChildren, CancellationToken cancellation = default, bool resume = false)
    {
        TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
        FrameSizeCheck.Check(config, settings.Wire);
        var port = settings.Cluster.Port > 0 ? settings.Cluster.Port : FreePort(settings.Cluster.Hostname);
        var publicHost = string.IsNullOrWhiteSpace(settings.Cluster.PublicHostname) ? settings.Cluster.Hostname : settings.Cluster.PublicHostname;
        var address = ClusterConfig.Address(publicHost, port, settings.Cluster.Tls, config);
        var system = ClusterTransport.Create(ClusterConfig.For(config, settings.Cluster, port, Roles, address), settings.Cluster.Tls);
        IAsyncDisposable? workers = null;
        IAsyncDisposable? psNodes = null;
        IAsyncDisposable? standbys = null;
        var removed = false;
        try
        {
            await MemberUp(system, settings.Cluster.JoinTimeout, cancellation).ConfigureAwait(false);
            // Before any shard can start (shards start on first contact, and only after this are there any contacts).
            await RunStore.PrepareAsync(system, settings, data, resume).WaitAsync(cancellation).ConfigureAwait(false);
            var region = JobHead.StartShardRegion(system, settings, data);
            if (settings.Cluster.PsNodes > 1) psNodes = startChildren(address, ShardEntities.Role, settings.Cluster.PsNodes - 1);
            if (settings.Cluster.CoordinatorNodes > 1) standbys = startChildren(address, JobHead.CoordinatorRole, settings.Cluster.CoordinatorNodes - 1);
            // Shards are placed on first contact: wait until every ps node's region can take some.
            await AllRegionsRegistered(region, settings.Cluster.PsNodes, settings.Cluster.JoinTimeout, cancellation).ConfigureAwait(false);
            var completion = new TaskCompletionSource<JobCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Downed while the job runs (a frozen or partitioned head comes back to find the others gave it up): the job is
            // no longer this node's, and waiting for it would wait forever.
            Cluster.Get(system).RegisterOnMemberRemoved(() =>
            {
                if (completion.Task.IsCompleted) return;
                removed = true;
                completion.TrySetException(new HeadRemovedException(
                    $"this head ({address}) was removed from the cluster while the job ran: it stopped answering for longer than the failure " +
                    $"detector allows (actortrain.cluster.failure-detection = {settings.Cluster.FailureDetection.ToString().ToLowerInvariant()}) and " +
                    (settings.Cluster.CoordinatorNodes > 1
                        ? "a standby coordinator node took the job over; it writes the run's summary when the job ends."
                        : "no standby coordinator node can take the job over; continue it with `actortrain resume <run folder>`.")));
            });
            var observer = system.ActorOf(JobObserver.Props(listener, completion), "observer");
            JobHead.StartHead(system, settings, data, observer, region, resume);
            // Standbys are members before any work is handed out, so the job survives the head from its first micro-batch.
            await CoordinatorNodes.WaitUntilUp(system, settings.Cluster.CoordinatorNodes, settings.Cluster.JoinTimeout, cancellation).ConfigureAwait(false);
            workers = startChildren(address, "worker", settings.Job.Workers);
            using var registration = cancellation.Register(() => completion.TrySetCanceled(cancellation));
            return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            // A removed head leaves its child processes to the cluster that goes on without it (they end with that job).
            if (!removed) await EndChildren(system, workers, psNodes, standbys).ConfigureAwait(false);
        }
    }

    /// <summary>Workers first (they stop once training is over), then the standbys leave, then this node, then ps nodes and standbys.</summary>
    private static async Task EndChildren(ActorSystem system, IAsyncDisposable? workers, IAsyncDisposable? psNodes, IAsyncDisposable? standbys)
    {
        if (workers != null) await workers.DisposeAsync().ConfigureAwait(false);
        // The standbys leave first: the head's own leave would otherwise hand the coordinator to one of them.
        await CoordinatorNodes.ReleaseOthers(system).ConfigureAwait(false);
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        if (psNodes != null) await psNodes.DisposeAsync().ConfigureAwait(false);
        if (standbys != null) await standbys.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task AllRegionsRegistered(IActorRef region, int expected, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        var registered = 0;
        while (DateTime.UtcNow < deadline)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                registered = await ShardEntities.RegisteredRegions(region, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                if (registered >= expected) return;
            }
            catch (AskTimeoutException)
            {
                // the sharding coordinator is still starting
            }
            await Task.Delay(200, cancellation).ConfigureAwait(false);
        }
        throw new TimeoutException($"only {registered} of {expected} ps node(s) registered a shard region within {timeout.TotalSeconds:0} s " +
                                   "(actortrain.cluster.join-timeout); see the ps-*.log files in the run folder");
    }

    internal static Task MemberUp(ActorSystem system, TimeSpan timeout, CancellationToken cancellation)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task.WaitAsync(timeout, cancellation);
    }

    private static int FreePort(string host)
    {
        using var listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
