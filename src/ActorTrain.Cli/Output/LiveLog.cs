using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace ActorTrain.Cli.Output;

/// <summary>
/// The actor system's logger while the live view is on (<see cref="LiveJobView"/>): every log line goes to the run
/// folder's <c>run.log</c>, and warnings and errors also to the view's events, so that nothing writes over the display.
/// </summary>
public sealed class LiveLog : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>The Akka configuration that installs it (with nothing on stdout).</summary>
    public const string Hocon = """
        akka.loggers = ["ActorTrain.Cli.Output.LiveLog, actortrain"]
        akka.stdout-loglevel = OFF
        """;

    private static readonly object Gate = new();
    private static LiveJobView? _view;
    private static StreamWriter? _file;

    /// <summary>Where the lines of the actor systems started from now on go, until <see cref="Detach"/>.</summary>
    public static void Attach(LiveJobView view, string logFile)
    {
        lock (Gate)
        {
            _view = view;
            _file = new StreamWriter(logFile, append: true) { AutoFlush = true };
        }
    }

    public static void Detach()
    {
        lock (Gate)
        {
            _view = null;
            _file?.Dispose();
            _file = null;
        }
    }

    public LiveLog()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            lock (Gate)
            {
                _file?.WriteLine(e.ToString());
                if (e.LogLevel() >= LogLevel.WarningLevel) _view?.Event($"{(e.LogLevel() == LogLevel.ErrorLevel ? "error" : "warning")}: {e.Message}");
            }
        });
    }
}
