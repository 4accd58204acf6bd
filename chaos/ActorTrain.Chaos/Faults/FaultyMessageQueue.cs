using System.Runtime.CompilerServices;
using ActorTrain.Actors.Protocol;
using ActorTrain.Chaos.Agent;
using ActorTrain.Chaos.Scenarios;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorTrain.Chaos.Faults;

/// <summary>
/// An actor's message queue with the process's message faults applied on the way in: an ActorTrain message a rule hits
/// is dropped, enqueued twice, told again later (delay), held until the next message has gone in (reorder), or replaced
/// by its copy with damaged payload bytes (corrupt, see <see cref="PayloadCorruption"/>). Every
/// other message, and every message while no rule is in force, goes straight in. A deque, so persistent actors' stashes
/// work on it.
/// </summary>
public sealed class FaultyMessageQueue(ActorSystem system) : DequeWrapperMessageQueue(new UnboundedMessageQueue()), IMessageQueue, IUnboundedDequeBasedMessageQueueSemantics
{
    private static readonly TimeSpan ReorderHold = TimeSpan.FromMilliseconds(100);

    /// <summary>Messages told again by a fault (late, or after a reordering): they go in untouched the second time.</summary>
    private static readonly ConditionalWeakTable<object, object> Released = [];

    private MessageFaults? _faults;
    private Envelope? _held;

    void IMessageQueue.Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (envelope.Message is IWireMessage message && !Released.TryGetValue(message, out _))
        {
            _faults ??= ChaosAgent.For(system).Messages;
            if (_faults.Any && _faults.Hit(message, envelope.Sender?.Path.Address.ToString()) is { } rule)
            {
                Apply(rule, receiver, envelope);
                return;
            }
        }
        MessageQueue.Enqueue(receiver, envelope);
        ReleaseHeld(receiver);
    }

    private void Apply(MessageFaultRule rule, IActorRef receiver, Envelope envelope)
    {
        switch (rule.Kind)
        {
            case FaultKind.Drop:
                return;
            case FaultKind.Corrupt:
                var damaged = PayloadCorruption.Damage(system, envelope.Message, rule);
                MessageQueue.Enqueue(receiver, damaged is null ? envelope : new Envelope(damaged, envelope.Sender));
                return;
            case FaultKind.Duplicate:
                MessageQueue.Enqueue(receiver, envelope);
                MessageQueue.Enqueue(receiver, envelope);
                return;
            case FaultKind.Delay:
                TellLater(receiver, envelope, rule.NextDelay());
                return;
            case FaultKind.Reorder:
                Envelope? previous;
                lock (this)
                {
                    previous = _held;
                    _held = envelope;
                }
                if (previous is { } p) MessageQueue.Enqueue(receiver, p);
                // Released by the next message in, or told again after a short hold when none comes.
                system.Scheduler.Advanced.ScheduleOnce(ReorderHold, () => ReleaseHeld(receiver, envelope));
                return;
        }
    }

    private void ReleaseHeld(IActorRef receiver, Envelope? only = null)
    {
        if (_held is null) return;
        Envelope held;
        lock (this)
        {
            if (_held is not { } h || (only is { } o && !ReferenceEquals(o.Message, h.Message))) return;
            held = h;
            _held = null;
        }
        if (only is null) MessageQueue.Enqueue(receiver, held);
        else TellLater(receiver, held, TimeSpan.Zero);
    }

    private void TellLater(IActorRef receiver, Envelope envelope, TimeSpan delay)
    {
        Released.AddOrUpdate(envelope.Message, envelope.Message);
        system.Scheduler.ScheduleTellOnce(delay, receiver, envelope.Message, envelope.Sender ?? ActorRefs.NoSender);
    }
}
