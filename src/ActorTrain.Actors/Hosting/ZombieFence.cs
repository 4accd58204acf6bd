using System.Diagnostics;
using ActorTrain.Core.Fencing;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The <see cref="PauseFence"/> of a shard or coordinator on a cluster node. A node frozen past the split-brain resolver's
/// <c>stable-after</c> may have been downed and its shards and coordinator started elsewhere; when it thaws, its old
/// instances would handle what waited in their mailboxes (found by the frozen-head chaos scenario: pushes applied twice)
/// and write snapshots of a superseded state. So before each message the actor asks <see cref="Stops"/>: after such a
/// pause the actor is fenced for another <c>stable-after</c>, and drops every message but its store's replies (senders
/// resend what has no answer). Within that time a downed node hears that it was downed and leaves; one that was not (a
/// long GC pause) is still Up, and the actor goes on with the state it holds, which is still the job's. No fence in one
/// process: there is no other node to take over.
/// </summary>
internal sealed class ZombieFence
{
    private const string TickTimer = "zombie-fence";
    private readonly PauseFence? _fence;
    private readonly Cluster? _cluster;
    private readonly string _who;
    private TimeSpan? _fencedUntil;

    public ZombieFence(ActorSystem system, string who)
    {
        _who = who;
        if (((ExtendedActorSystem)system).Provider is not IClusterActorRefProvider) return;
        _cluster = Cluster.Get(system);
        _fence = new PauseFence(system.Settings.Config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after", TimeSpan.FromSeconds(5)));
    }

    /// <summary>Keeps the fence's clock moving while no other message comes, so that only a real pause exceeds its limit.</summary>
    public void Start(ITimerScheduler timers)
    {
        if (_fence is { } f) timers.StartPeriodicTimer(TickTimer, Tick.Instance, f.Limit / 5);
    }

    /// <summary>The actor's <c>AroundReceive</c>: <paramref name="receive"/> handles the message unless the fence <see cref="Stops"/> it.</summary>
    public bool Around(object message, ILoggingAdapter log, Func<bool> receive)
    {
        if (Stops(message, log)) return true;
        var handled = receive();
        Handled();
        return handled;
    }

    /// <summary>Whether <paramref name="message"/> must not be handled: the fence's own tick, or anything but a store reply while fenced.</summary>
    private bool Stops(object message, ILoggingAdapter log)
    {
        if (_fence is not { } fence || _cluster is not { } cluster) return false;
        var now = Now;
        if (_fencedUntil is null && fence.PauseBefore(now) is { } pause)
        {
            _fencedUntil = now + fence.Limit;
            log.Warning("{0}: this process stood still for {1:0.0} s, past the split-brain resolver's stable-after ({2:0} s): the cluster may have " +
                        "downed this node and started {0} elsewhere, so it drops what comes for {2:0} s (senders resend); a downed node leaves meanwhile",
                _who, pause.TotalSeconds, fence.Limit.TotalSeconds);
        }
        if (_fencedUntil is { } until)
        {
            fence.Handled(now);
            if (now < until || cluster.IsTerminated || cluster.SelfMember.Status != MemberStatus.Up)
                return message.GetType().Assembly != typeof(Akka.Persistence.Persistence).Assembly;
            _fencedUntil = null;
            log.Warning("{0}: this node is still Up {1:0} s after its pause: it was not replaced, and {0} goes on", _who, fence.Limit.TotalSeconds);
        }
        if (message is not Tick) return false;
        fence.Handled(now);
        return true;
    }

    private void Handled() => _fence?.Handled(Now);

    private static TimeSpan Now => Stopwatch.GetElapsedTime(0);

    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }
}
