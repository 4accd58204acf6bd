using System.Diagnostics;

namespace ActorTrain.Cli.Processes;

/// <summary>
/// The worker processes of a local multi-process run: <c>actortrain node --roles worker</c> children of this
/// process, each logging to its own file in the run folder. Each child watches this process and leaves when
/// it is gone; disposing waits for them to finish and kills any that do not.
/// </summary>
public sealed class WorkerProcesses : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(20);
    private readonly List<Process> _processes = [];
    private CancellationTokenRegistration _onCancel;

    /// <summary>Starts the workers; when <paramref name="cancellation"/> fires (Ctrl-C) they are killed at once.</summary>
    public static WorkerProcesses Start(int count, string seed, string jobFile, string runFolder, CancellationToken cancellation)
    {
        var workers = new WorkerProcesses();
        workers._onCancel = cancellation.Register(workers.KillAll);
        for (var w = 1; w <= count; w++)
        {
            var id = $"worker-{w}";
            workers._processes.Add(SelfCommand.Start(
                ["node", "--roles", "worker", "--seed", seed, "--config", jobFile, "--worker-id", id,
                 "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Path.Combine(runFolder, $"{id}.log")));
        }
        return workers;
    }

    public IReadOnlyList<Process> Processes => _processes;

    private void KillAll()
    {
        foreach (var process in _processes)
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
        await _onCancel.DisposeAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(ExitGrace);
        foreach (var process in _processes)
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
