using System.Globalization;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorTrain.Cli.Output;

/// <summary>
/// run's live terminal view (Spectre.Console): bars for the epoch and the job, loss and samples/s, the last evaluation,
/// the workers with their state and share of the work, and the last events. Every report still goes through the plain
/// listener (<see cref="ConsoleJobListener"/>), which writes metrics.jsonl; its lines, but for progress, become the
/// events, and so do the runtime's warnings (<see cref="LiveLog"/>). Shown on a terminal only: with output redirected,
/// <c>--plain</c> or <c>--json</c>, run prints lines.
/// </summary>
public sealed class LiveJobView : IJobListener, IDisposable
{
    private const int ShownEvents = 8;
    private readonly ConsoleJobListener _plain;
    private readonly string _title;
    private readonly int _epochs;
    private readonly object _gate = new();
    private readonly Queue<string> _events = new();
    private JobProgressed? _progress;
    private ParametersEvaluated? _evaluation;
    private bool _done;

    public LiveJobView(string title, int epochs, string metricsFile)
    {
        _title = title;
        _epochs = epochs;
        Lines = TextWriter.Synchronized(new EventWriter(this));
        _plain = new ConsoleJobListener(Lines, metricsFile);
    }

    /// <summary>A writer whose lines become events (what run prints while the view is up: child processes' notes).</summary>
    public TextWriter Lines { get; }

    /// <summary>Shows the view until <paramref name="job"/> ends, then leaves its last frame on the screen.</summary>
    public async Task<T> ShowUntil<T>(Task<T> job)
    {
        await AnsiConsole.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async live =>
        {
            while (!job.IsCompleted)
            {
                live.UpdateTarget(Render());
                await Task.WhenAny(job, Task.Delay(TimeSpan.FromMilliseconds(250))).ConfigureAwait(false);
            }
            lock (_gate) _done = true;
            live.UpdateTarget(Render());
        }).ConfigureAwait(false);
        return await job.ConfigureAwait(false);
    }

    /// <summary>A line for the events panel (a runtime warning, a note from the run command).</summary>
    public void Event(string line)
    {
        lock (_gate)
        {
            _events.Enqueue(line.Trim());
            while (_events.Count > ShownEvents) _events.Dequeue();
        }
    }

    public void OnProgress(JobProgressed progress)
    {
        lock (_gate) _progress = progress;
        _plain.OnProgress(progress);
    }

    public void OnEvaluation(ParametersEvaluated evaluation)
    {
        lock (_gate) _evaluation = evaluation;
        _plain.OnEvaluation(evaluation);
    }

    public void OnModeChanged(ModeChanged changed) => _plain.OnModeChanged(changed);
    public void OnCompleted(JobCompleted completed) => _plain.OnCompleted(completed);
    public void OnCheckpoint(CheckpointRecorded checkpoint) => _plain.OnCheckpoint(checkpoint);
    public void OnLearningRateChanged(LearningRateChanged changed) => _plain.OnLearningRateChanged(changed);
    public void OnBestCheckpoint(BestCheckpointMarked best) => _plain.OnBestCheckpoint(best);
    public void OnRolledBack(RolledBack rolledBack) => _plain.OnRolledBack(rolledBack);
    public void OnEarlyStopped(EarlyStopped stopped) => _plain.OnEarlyStopped(stopped);
    public void OnResumed(CheckpointRestored restored) => _plain.OnResumed(restored);

    private IRenderable Render()
    {
        lock (_gate)
        {
            var rows = new List<IRenderable> { new Rule($"[bold]{Markup.Escape(_title)}[/]").LeftJustified() };
            if (_progress is { } p)
            {
                var perEpoch = p.TotalMicroBatches / (double)Math.Max(1, _epochs);
                var epochDone = _done ? 1 : Math.Clamp((p.CompletedMicroBatches - (p.Epoch - 1) * perEpoch) / perEpoch, 0, 1);
                var jobDone = _done ? 1 : p.CompletedMicroBatches / (double)Math.Max(1, p.TotalMicroBatches);
                rows.Add(new Markup($"epoch {p.Epoch}/{_epochs} {Bar(epochDone)} {epochDone * 100,5:0.0}%"));
                rows.Add(new Markup($"job       {Bar(jobDone)} {jobDone * 100,5:0.0}%   update {p.Updates:N0}"));
                rows.Add(new Markup($"loss [yellow]{F(p.MeanLoss, 4)}[/]   [green]{p.SamplesPerSecond:N0} samples/s[/]   {p.ElapsedSeconds:0.0} s" +
                                    (p.ReissuedMicroBatches > 0 ? $"   reissued {p.ReissuedMicroBatches}" : "")));
                rows.Add(new Markup(Workers(p)));
            }
            else
            {
                rows.Add(new Markup("[grey]starting: waiting for the first progress report[/]"));
            }
            rows.Add(new Markup(_evaluation is { } e
                ? $"evaluation at update {e.Updates}: loss {F(e.ValidationLoss, 4)}, accuracy [bold]{F(e.ValidationAccuracy, 4)}[/]"
                : "evaluation: none yet"));
            rows.Add(new Rule("[grey]events[/]").LeftJustified());
            rows.AddRange(_events.Count == 0 ? [new Markup("[grey]none yet[/]")] : _events.Select(e => (IRenderable)new Markup(Markup.Escape(e))));
            return new Rows(rows);
        }
    }

    private static string Workers(JobProgressed p)
    {
        var byWorker = p.MicroBatchesByWorker ?? new Dictionary<string, long>();
        var members = new HashSet<string>(p.Members ?? [], StringComparer.Ordinal);
        var total = Math.Max(1, byWorker.Values.Sum());
        var names = byWorker.Keys.Union(members).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return "workers: none yet";
        return "workers: " + string.Join("   ", names.Select(w =>
        {
            var share = byWorker.GetValueOrDefault(w) / (double)total;
            var state = members.Contains(w) ? "[green]up[/]" : "[red]gone[/]";
            return $"{Markup.Escape(w)} {state} {byWorker.GetValueOrDefault(w):N0} ({share:P0})";
        }));
    }

    private static string Bar(double fraction)
    {
        const int width = 40;
        var filled = (int)Math.Round(fraction * width);
        // Different characters as well as colours: a terminal without colour (or a screen capture) still shows the fill.
        return $"[green]{new string('━', filled)}[/][grey]{new string('─', width - filled)}[/]";
    }

    private static string F(double value, int digits) => double.IsFinite(value) ? value.ToString("F" + digits, CultureInfo.InvariantCulture) : "nan";

    public void Dispose() => _plain.Dispose();

    /// <summary>Where the plain listener's lines go: progress lines are the bars already; the others become events.</summary>
    private sealed class EventWriter(LiveJobView view) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (value is null || value.StartsWith("epoch ", StringComparison.Ordinal)) return;
            view.Event(value);
        }
    }
}
