using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Chaos.Agent;

/// <summary>Appends the warnings and errors its process logs to the control directory, for the runner's timeline.</summary>
internal sealed class AgentLogWriter : ReceiveActor
{
    public AgentLogWriter(string file)
    {
        Receive<LogEvent>(e => ControlDirectory.AppendLine(file, new
        {
            t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            level = e.LogLevel().ToString(),
            source = e.LogSource,
            message = e.Message?.ToString() ?? "",
        }));
    }
}
