using Akka.Actor;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// An Akka extension that <c>akka.extensions</c> loads when a job's system starts, so a test can reach the actors of a job
/// that <c>InProcessJob</c> runs in its own system (the chaos agent reaches them the same way).
/// </summary>
internal sealed class SystemCapture : IExtension
{
    public static volatile ActorSystem? Last;

    public const string ConfigEntry = "akka.extensions = [\"ActorTrain.Actors.Tests.Hosting.SystemCaptureProvider, ActorTrain.Actors.Tests\"]";

    public SystemCapture(ActorSystem system) => Last = system;
}

internal sealed class SystemCaptureProvider : ExtensionIdProvider<SystemCapture>
{
    public override SystemCapture CreateExtension(ExtendedActorSystem system) => new(system);
}
