using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// An Akka logger (<c>akka.loggers</c>) that keeps every warning and error of the systems it is configured in, for tests
/// of whole jobs whose actor system the test does not own. Tests sharing it tell their lines apart by a marker of their own.
/// </summary>
public sealed class CapturingLogger : ReceiveActor
{
    public static readonly ConcurrentQueue<string> Lines = new();

    /// <summary>The <c>akka.loggers</c> entry that adds it.</summary>
    public static readonly string ConfigEntry = $"\"{typeof(CapturingLogger).FullName}, {typeof(CapturingLogger).Assembly.GetName().Name}\"";

    public CapturingLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<Warning>(w => Lines.Enqueue(w.Message?.ToString() ?? ""));
        Receive<Error>(e => Lines.Enqueue(e.Message?.ToString() ?? ""));
        ReceiveAny(_ => { });
    }
}
