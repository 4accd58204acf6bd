using System.Diagnostics;
using System.Text;

namespace ActorTrain.Chaos.Tests.Runner;

/// <summary>The real <c>actortrain</c> apphost built next to these tests, run to its end with its output collected.</summary>
internal static class ActorTrainCommand
{
    public static string Program => Path.Combine(AppContext.BaseDirectory, "actortrain");

    public static Process Start(IReadOnlyList<string> arguments, Action<string> output, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? Repository.Root };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } l) output(l);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } l) output(l);
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var output = new StringBuilder();
        using var process = Start(arguments, l =>
        {
            lock (output) output.AppendLine(l);
        });
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"actortrain {string.Join(' ', arguments)} did not end within {timeout}; its output:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
