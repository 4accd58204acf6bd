using System.Diagnostics;
using System.Globalization;

namespace ActorTrain.Cli.Processes;

/// <summary>
/// The child nodes of a local multi-process run: <c>actortrain node --roles worker</c> (or <c>ps</c>, or <c>coordinator</c>)
/// children of this process, named role-1, role-2, … and each writing its own role-N.log in the run folder (what they print
/// outside it, such as a runtime's crash report, is passed on to <c>report</c>). Each child watches this process and, when
/// it is gone, leaves unless a standby coordinator takes the job over; disposing waits for them to finish and kills any
/// that do not. A child that dies (killed,
/// crashed) rather than ending in one of the ways a node ends is started again under the same name, so a run gets its
/// capacity back: a worker comes back as a new incarnation and asks for work.
/// </summary>
public sealed class NodeProcesses : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(20);

    /// <summary>Exit codes of a node that ended on its own terms (NodeOutcome): job over, stopped, head lost, never joined.</summary>
    private static readonly HashSet<int> EndedOnPurpose = [0, 1, 3, 4];

    private readonly List<Process> _processes = [];
    private readonly object _gate = new();
    private readonly Action<string> _report;
    private readonly int _maxRestarts;
    private bool _ending;
    private CancellationTokenRegistration _onCancel;

    private NodeProcesses(Action<string> report, int maxRestarts)
    {
        _report = report;
        _maxRestarts = maxRestarts;
    }

    /// <summary>Starts the nodes; when <paramref name="cancellation"/> fires (Ctrl-C) they are killed at once.</summary>
    /// <param name="maxRestarts">How many times each child may be started again after dying (0: never).</param>
    /// <param name="extraArguments">More arguments for the n-th node (1-based), e.g. its own telemetry port.</param>
    public static NodeProcesses Start(string role, int count, string seed, string jobFile, string runFolder, CancellationToken cancellation,
        int maxRestarts = 0, Action<string>? report = null, Func<int, string[]>? extraArguments = null)
    {
        var nodes = new NodeProcesses(report ?? (_ => { }), maxRestarts);
        nodes._onCancel = cancellation.Register(nodes.KillAll);
        for (var n = 1; n <= count; n++)
        {
            var id = $"{role}-{n}";
            string[] arguments = ["node", "--roles", role, "--seed", seed, "--config", jobFile, "--worker-id", id,
                "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--log", Path.Combine(runFolder, $"{id}.log"),
                .. extraArguments?.Invoke(n) ?? []];
            nodes.Launch(id, arguments, restarts: 0);
        }
        return nodes;
    }

    public IReadOnlyList<Process> Processes
    {
        get
        {
            lock (_gate) return [.. _processes];
        }
    }

    private void Launch(string id, string[] arguments, int restarts)
    {
        var process = SelfCommand.Start(arguments, line => _report($"{id}: {line}"));
        lock (_gate) _processes.Add(process);
        process.Exited += (_, _) =>
        {
            lock (_gate)
                if (_ending || EndedOnPurpose.Contains(process.ExitCode) || restarts >= _maxRestarts) return;
            _report($"{id} died (exit code {process.ExitCode}); starting it again ({restarts + 1} of at most {_maxRestarts})");
            Launch(id, arguments, restarts + 1);
        };
    }

    private void KillAll()
    {
        lock (_gate) _ending = true;
        foreach (var process in Processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it exited meanwhile
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate) _ending = true;
        await _onCancel.DisposeAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(ExitGrace);
        foreach (var process in Processes)
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
    }
}
