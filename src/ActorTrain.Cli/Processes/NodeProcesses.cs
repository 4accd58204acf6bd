using System.Diagnostics;

namespace ActorTrain.Cli.Processes;

/// <summary>
/// The child nodes of a local multi-process run: <c>actortrain node --roles worker</c> (or <c>ps</c>) children of this
/// process, named role-1, role-2, … and each logging to role-N.log in the run folder. Each child watches this process and leaves when
/// it is gone; disposing waits for them to finish and kills any that do not.
/// </summary>
public sealed class NodeProcesses : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(20);
    private readonly List<Process> _processes = [];
    private CancellationTokenRegistration _onCancel;

    /// <summary>Starts the nodes; when <paramref name="cancellation"/> fires (Ctrl-C) they are killed at once.</summary>
    public static NodeProcesses Start(string role, int count, string seed, string jobFile, string runFolder, CancellationToken cancellation)
    {
        var nodes = new NodeProcesses();
        nodes._onCancel = cancellation.Register(nodes.KillAll);
        for (var n = 1; n <= count; n++)
        {
            var id = $"{role}-{n}";
            nodes._processes.Add(SelfCommand.Start(
                ["node", "--roles", role, "--seed", seed, "--config", jobFile, "--worker-id", id,
                 "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Path.Combine(runFolder, $"{id}.log")));
        }
        return nodes;
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
