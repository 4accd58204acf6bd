using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorTrain.Chaos.Faults;

/// <summary>
/// The mailbox a chaos run binds as Akka's default and deque-based mailbox (<c>akka.actor.default-mailbox.mailbox-type</c>):
/// every actor's queue is a <see cref="FaultyMessageQueue"/>.
/// </summary>
public sealed class FaultyMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<FaultyMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new FaultyMessageQueue(system);
}
