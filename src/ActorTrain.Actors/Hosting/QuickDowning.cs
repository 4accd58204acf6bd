using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Downs worker and ps members at once when two or more are unreachable together while the coordinator still reaches
/// another member, instead of waiting for the split-brain resolver.
/// <para>
/// Why: a worker that saw another die records it as unreachable; if it dies too before the first is downed, it is both
/// an observer and a subject of unreachability. Akka's resolver takes such a node for "indirectly connected", and when
/// the second pass of that decision still finds one (the dead observer's record never goes away) it gives up and downs
/// every member, the head included ("SBR double DownIndirectlyConnected decision, downing all instead"; akka/akka-core
/// #32794). Workers dying a few seconds apart (kill-loop) met it. Crashed workers are downed here before the resolver
/// decides, so by then every unreachable member is already down and it has nothing to decide.
/// </para>
/// <para>
/// What it leaves to the resolver: a single unreachable member (no cycle can form), coordinator-role members (the
/// standbys' failover is the resolver's keep-oldest decision), and everything when this node reaches no other member (an
/// isolated head must not down the side that goes on without it). Where it acts it takes the resolver's own side:
/// keep-oldest keeps the side that holds the head, and this node is the head.
/// </para>
/// Runs beside the coordinator singleton, so on whichever coordinator node holds the job.
/// </summary>
public sealed class QuickDowning : ReceiveActor, IWithTimers
{
    public const string Name = "quick-downing";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    // A head that thaws after a long pause sees every other member unreachable and must not act on that view.
    private readonly ZombieFence _fence = new(Context.System, "quick downing");

    public QuickDowning()
    {
        // Each event only prompts a look at the cluster's current state (so an event dropped by the fence loses nothing),
        // and so does a tick each second (that state is updated apart from this actor's events, and may lag them).
        Receive<ClusterEvent.IClusterDomainEvent>(_ => DownIfSeveral());
        Receive<Check>(_ => DownIfSeveral());
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new QuickDowning());

    protected override void PreStart()
    {
        _fence.Start(Timers);
        Timers.StartPeriodicTimer(Check.Instance, Check.Instance, TimeSpan.FromSeconds(1));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    protected override bool AroundReceive(Receive receive, object message) => _fence.Around(message, _log, () => base.AroundReceive(receive, message));

    private void DownIfSeveral()
    {
        var state = _cluster.State;
        var self = _cluster.SelfUniqueAddress;
        var members = state.Members.Concat(state.Unreachable).Where(m => !m.UniqueAddress.Equals(self)).DistinctBy(m => m.UniqueAddress)
            .Select(m => (Member: m, Seen: new Seen(CoordinatorNodes.IsCoordinator(m), m.Status is not (MemberStatus.Down or MemberStatus.Exiting),
                state.Unreachable.Contains(m))))
            .ToList();
        var down = ToDown(members.Select(m => m.Seen).ToList());
        if (down.Count == 0) return;
        var unreachable = down.Select(i => members[i].Member).ToList();
        _log.Warning("{0} worker/ps members are unreachable together ({1}): downing them now, before the split-brain resolver " +
                     "could mistake a dead member's record of another for an indirect connection and down every member",
            unreachable.Count, string.Join(", ", unreachable.Select(m => m.Address)));
        // Down takes an address; the state read just now holds no newer incarnation under any of these.
        foreach (var member in unreachable) _cluster.Down(member.Address);
    }

    /// <summary>How this node sees another member: coordinator-role or not, active (not down or exiting), unreachable.</summary>
    public readonly record struct Seen(bool Coordinator, bool Active, bool Unreachable);

    /// <summary>
    /// The decision, on the other members as this node sees them: the indexes of the members to down now. Active worker/ps
    /// members that are unreachable, when there are two or more of them and this node still reaches another active member;
    /// none otherwise.
    /// </summary>
    public static IReadOnlyList<int> ToDown(IReadOnlyList<Seen> others)
    {
        var unreachable = Enumerable.Range(0, others.Count).Where(i => others[i] is { Coordinator: false, Active: true, Unreachable: true }).ToList();
        if (unreachable.Count < 2) return [];
        return others.Any(o => o is { Active: true, Unreachable: false }) ? unreachable : []; // cut off from everyone: the resolver decides
    }
}
