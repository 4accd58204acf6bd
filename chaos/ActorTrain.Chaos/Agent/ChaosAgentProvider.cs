using Akka.Actor;

namespace ActorTrain.Chaos.Agent;

/// <summary>What <c>akka.extensions</c> names to load the <see cref="ChaosAgent"/> when a process starts.</summary>
public sealed class ChaosAgentProvider : ExtensionIdProvider<ChaosAgent>
{
    public override ChaosAgent CreateExtension(ExtendedActorSystem system) => new(system);
}
