using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Decides when a joining node ends: when its worker stops (training is over), or when no coordinator-role member is left
/// in the cluster (the head, and its standbys if there are any: <c>actortrain.cluster.coordinator-nodes</c>), or when the
/// node itself is removed. A node started by <c>actortrain run</c> is also told when that process is gone
/// (<see cref="ParentGone"/>): it goes on if a standby coordinator is a member, and stops otherwise.
/// </summary>
internal sealed class NodeGuard : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _coordinators = [];
    private readonly Address _head;
    private readonly Address _self;
    private readonly TaskCompletionSource<NodeOutcome> _outcome;

    public NodeGuard(IActorRef? worker, Address head, TaskCompletionSource<NodeOutcome> outcome)
    {
        _head = head;
        _outcome = outcome;
        var cluster = Cluster.Get(Context.System);
        _self = cluster.SelfAddress;
        if (worker != null) Context.Watch(worker);
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
        Receive<Terminated>(_ => outcome.TrySetResult(NodeOutcome.JobEnded));
        Receive<ClusterEvent.MemberRemoved>(Handle);
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            if (CoordinatorNodes.IsCoordinator(e.Member) && CoordinatorNodes.IsActive(e.Member)) _coordinators.Add(e.Member.Address);
        });
        Receive<ClusterEvent.UnreachableMember>(e => CoordinatorNodes.IsCoordinator(e.Member), unreachable =>
            _log.Warning("coordinator node {0} is unreachable", unreachable.Member.Address));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        Receive<ParentGone>(_ => OnParentGone());
    }

    public static Props Props(IActorRef? worker, Address head, TaskCompletionSource<NodeOutcome> outcome) =>
        Akka.Actor.Props.Create(() => new NodeGuard(worker, head, outcome));

    private void Handle(ClusterEvent.MemberRemoved removed)
    {
        if (_outcome.Task.IsCompleted) return; // this node is on its way out: its cluster reports every member removed
        var address = removed.Member.Address;
        var left = removed.PreviousStatus == MemberStatus.Exiting;
        if (address.Equals(_self))
        {
            _log.Info("this node was removed from the cluster ({0})", removed.PreviousStatus);
            _outcome.TrySetResult(left ? NodeOutcome.JobEnded : NodeOutcome.HeadLost);
            return;
        }
        if (!_coordinators.Remove(address)) return;
        if (_coordinators.Count > 0)
        {
            if (!left)
                _log.Warning("coordinator node {0} was removed from the cluster ({1}); coordinator node(s) {2} remain: the job goes on",
                    address, removed.PreviousStatus, string.Join(", ", _coordinators));
            return;
        }
        if (left)
        {
            _log.Info("the last coordinator node {0} left the cluster: the job is over", address);
            _outcome.TrySetResult(NodeOutcome.JobEnded);
            return;
        }
        _log.Warning("the last coordinator node {0} was removed from the cluster ({1}); this node stops", address, removed.PreviousStatus);
        _outcome.TrySetResult(NodeOutcome.HeadLost);
    }

    /// <summary>The process that started this node (the head) is gone: a standby, if any, takes the job over.</summary>
    private void OnParentGone()
    {
        var standbys = _coordinators.Where(a => !a.Equals(_head)).ToList();
        if (standbys.Count > 0)
        {
            _log.Warning("the head process is gone; standby coordinator node(s) {0} take over: the job goes on", string.Join(", ", standbys));
            return;
        }
        _log.Warning("the head process is gone and no standby coordinator is a member; this node stops");
        _outcome.TrySetResult(NodeOutcome.HeadLost);
    }

    /// <summary>Told by the node when the process that started it is gone.</summary>
    public sealed class ParentGone
    {
        public static readonly ParentGone Instance = new();
    }
}
