using System.Net;
using System.Net.Sockets;
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
/// <c>actortrain node</c>) and find the roles under their fixed names.
/// </summary>
public static class ClusterHead
{
    public static readonly string[] Roles = ["coordinator", "ps", "evaluator"];

    /// <param name="startWorkers">Called with the head's address once it is up; what it returns is disposed at the end.</param>
    public static async Task<JobCompleted> RunAsync(Config config, ActorTrainSettings settings, JobData data, IJobListener listener,
        Func<string, IAsyncDisposable> startWorkers, CancellationToken cancellation = default)
    {
        TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
        FrameSizeCheck.Check(config, settings.Wire);
        var port = settings.Cluster.Port > 0 ? settings.Cluster.Port : FreePort(settings.Cluster.Hostname);
        var publicHost = string.IsNullOrWhiteSpace(settings.Cluster.PublicHostname) ? settings.Cluster.Hostname : settings.Cluster.PublicHostname;
        var address = ClusterConfig.Address(publicHost, port);
        var system = ActorSystem.Create(ClusterConfig.SystemName, ClusterConfig.For(config, settings.Cluster, port, Roles, address));
        IAsyncDisposable? workers = null;
        try
        {
            await MemberUp(system, settings.Cluster.JoinTimeout, cancellation).ConfigureAwait(false);
            var completion = new TaskCompletionSource<JobCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
            var observer = system.ActorOf(JobObserver.Props(listener, completion), "observer");
            JobHead.Start(system, settings, data, observer);
            workers = startWorkers(address);
            using var registration = cancellation.Register(() => completion.TrySetCanceled(cancellation));
            return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            if (workers != null) await workers.DisposeAsync().ConfigureAwait(false);
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        }
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
