using ActorTrain.Chaos.Processes;

namespace ActorTrain.Chaos.Runner;

/// <summary>Runs an actortrain command as a child process to its end, and leaves nothing of its tree behind.</summary>
internal static class JobProcessRunner
{
    /// <param name="folder">The folder the command works in: whatever mentions it is killed at the end.</param>
    public static async Task<int> RunToEndAsync(ChaosOptions options, IReadOnlyList<string> arguments, string folder, CancellationToken cancellation)
    {
        using var process = options.Launch(arguments, line =>
        {
            if (options.Verbose) options.Output.WriteLine($"  | {line}");
        });
        try
        {
            await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
            return process.ExitCode;
        }
        finally
        {
            KillAll(process.Id, folder);
        }
    }

    /// <summary>Kills a process tree and every process that mentions the folder (children whose parent died are orphans).</summary>
    public static void KillAll(int pid, string folder)
    {
        foreach (var p in ProcessTable.Tree(pid).Concat(ProcessTable.Mentioning(Path.GetFullPath(folder)))) Signals.Send(p, Signals.Kill);
    }
}
