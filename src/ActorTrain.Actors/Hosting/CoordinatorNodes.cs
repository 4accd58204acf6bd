using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The cluster's coordinator-role members: the head and its standbys (<c>actortrain.cluster.coordinator-nodes</c>). The
/// oldest holds the coordinator singleton; when it is downed the next oldest takes it. At the end of a job the node that
/// holds it makes the others leave first, so that its own leave hands the singleton to no one.
/// </summary>
public static class CoordinatorNodes
{
    /// <summary>How long the node ending a job waits for its standbys to leave before it leaves all the same.</summary>
    public static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(20);

    public static bool IsCoordinator(Member member) => member.HasRole(JobHead.CoordinatorRole);

    /// <summary>Members that are, or are about to be, in the cluster: not leaving, not downed, not gone.</summary>
    public static bool IsActive(Member member) => member.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up;

    /// <summary>Waits until <paramref name="expected"/> coordinator-role members are up (the head and its standbys).</summary>
    public static async Task WaitUntilUp(ActorSystem system, int expected, TimeSpan timeout, CancellationToken cancellation)
    {
        var cluster = Cluster.Get(system);
        var deadline = DateTime.UtcNow + timeout;
        int Up() => cluster.State.Members.Count(m => IsCoordinator(m) && m.Status == MemberStatus.Up);
        while (Up() < expected)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"only {Up()} of {expected} coordinator node(s) were up within {timeout.TotalSeconds:0} s " +
                                           "(actortrain.cluster.join-timeout); see the coordinator-*.log files in the run folder");
            await Task.Delay(200, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes every other coordinator-role member leave and waits (at most <see cref="ReleaseTimeout"/>) until they are
    /// gone: called by the node that ends the job, before it leaves, so that no standby takes over a finished job.
    /// </summary>
    public static async Task ReleaseOthers(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var others = cluster.State.Members.Where(m => IsCoordinator(m) && IsActive(m) && !m.Address.Equals(cluster.SelfAddress))
            .Select(m => m.Address).ToList();
        if (others.Count == 0) return;
        foreach (var address in others) cluster.Leave(address);
        var deadline = DateTime.UtcNow + ReleaseTimeout;
        while (cluster.State.Members.Any(m => others.Contains(m.Address)))
        {
            if (DateTime.UtcNow > deadline)
            {
                system.Log.Warning("standby coordinator node(s) {0} did not leave within {1} s; leaving all the same",
                    string.Join(", ", others), ReleaseTimeout.TotalSeconds);
                return;
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
    }
}
