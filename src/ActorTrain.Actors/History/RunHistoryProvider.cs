using Akka.Actor;

namespace ActorTrain.Actors.History;

/// <summary>Creates a system's <see cref="RunHistory"/> the first time an actor asks for it.</summary>
public sealed class RunHistoryProvider : ExtensionIdProvider<RunHistory>
{
    public override RunHistory CreateExtension(ExtendedActorSystem system) => new(system);
}
