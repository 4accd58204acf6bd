using ActorTrain.Actors.Settings;
using ActorTrain.Core.History;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.History;

/// <summary>
/// This process's part of the run's history (an Akka extension, one per actor system): the <see cref="Recorder"/> its
/// actors record into, and the file it flushes to, <c>&lt;actortrain.run.history-directory&gt;/&lt;process&gt;.jsonl</c>,
/// every <see cref="FlushInterval"/>, when a shard is about to snapshot (<see cref="Flush"/>), and when the system
/// terminates. A process killed with SIGKILL loses at most what it recorded since its last flush. With
/// <c>actortrain.run.history = off</c>, or no history directory, there is no recorder and actors record nothing.
/// </summary>
public sealed class RunHistory : IExtension
{
    /// <summary>How much of its history a killed process may lose: a second of events, a few hundred lines at most.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly ILoggingAdapter? _log;
    private readonly Timer? _timer;
    private bool _failing;

    public RunHistory(ExtendedActorSystem system)
    {
        var settings = RunSettings.Create(new SettingsReader(system.Settings.Config.WithFallback(JobConfig.Reference), $"{ActorTrainSettings.Root}.run"));
        if (!settings.History || settings.HistoryDirectory.Length == 0) return;
        Directory.CreateDirectory(settings.HistoryDirectory);
        var name = UniqueName(settings.HistoryDirectory, ProcessName(system));
        Recorder = new HistoryRecorder(name);
        FilePath = Path.Combine(settings.HistoryDirectory, $"{name}.jsonl");
        File.WriteAllText(FilePath, ""); // claims the name at once: another process of the run picks the next one
        _log = Logging.GetLogger(system, nameof(RunHistory));
        _timer = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
        system.RegisterOnTermination(() =>
        {
            _timer.Dispose();
            Flush();
        });
    }

    /// <summary>What this process's actors record into; null when the history is off.</summary>
    public HistoryRecorder? Recorder { get; }

    /// <summary>This process's history file; null when the history is off.</summary>
    public string? FilePath { get; }

    public static RunHistory Get(ActorSystem system) => system.WithExtension<RunHistory, RunHistoryProvider>();

    /// <summary>The recorder of the process <paramref name="system"/> runs in, or null when its history is off.</summary>
    public static HistoryRecorder? Of(ActorSystem system) => Get(system).Recorder;

    /// <summary>
    /// Appends what was recorded since the last flush to the file. A failed write (disk full) is logged once and tried again
    /// at the next flush with the same events; it never fails the caller.
    /// </summary>
    public void Flush()
    {
        if (Recorder is null || FilePath is null) return;
        try
        {
            Recorder.FlushTo(FilePath);
            _failing = false;
        }
        catch (IOException error)
        {
            if (!_failing) _log?.Warning("could not write the run's history to {0} ({1}); retrying every {2}", FilePath, error.Message, FlushInterval);
            _failing = true;
        }
    }

    /// <summary>head, ps, worker (or their roles joined), or in-process; and the process id.</summary>
    private static string ProcessName(ExtendedActorSystem system)
    {
        string role;
        if (system.Provider is not IClusterActorRefProvider) role = "in-process";
        else
        {
            var roles = system.Settings.Config.GetStringList("akka.cluster.roles", []);
            role = roles.Contains("coordinator") ? "head" : roles.Count == 0 ? "node" : string.Join("+", roles);
        }
        return $"{role}-{Environment.ProcessId}";
    }

    /// <summary>A process id may come back in a later session (resume) or a second system in one process: each gets a file of its own.</summary>
    private static string UniqueName(string directory, string name)
    {
        var unique = name;
        for (var n = 2; File.Exists(Path.Combine(directory, $"{unique}.jsonl")); n++) unique = $"{name}-{n}";
        return unique;
    }
}
