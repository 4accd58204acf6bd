using System.Diagnostics;
using System.Text;

namespace ActorTrain.Integration.Tests;

/// <summary>A real <c>actortrain</c> process (the apphost built next to these tests), its output collected as it runs.</summary>
internal sealed class ActorTrainProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ActorTrainProcess(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "actortrain"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ActorTrainProcess Start(string workingDirectory, params string[] arguments) => new(arguments, workingDirectory);

    public int Id => _process.Id;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public async Task<int> ExitCode(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"actortrain did not exit within {timeout}; its output:\n{Output}");
        }
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    /// <summary>Waits until the output holds <paramref name="text"/>.</summary>
    public Task WaitForOutput(string text, TimeSpan timeout) => WaitForOutput(text, 1, timeout);

    /// <summary>Waits until the output holds <paramref name="text"/> at least <paramref name="times"/> times.</summary>
    public async Task WaitForOutput(string text, int times, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Output.Split(text).Length - 1 < times)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"expected \"{text}\" {times} time(s) in actortrain's output within {timeout}; got:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>How many times the output holds <paramref name="text"/> so far.</summary>
    public int CountInOutput(string text) => Output.Split(text).Length - 1;

    public void Kill() => _process.Kill(entireProcessTree: false); // SIGKILL to this process alone

    /// <summary>SIGTERM, as a scheduler or `kill` sends it: the process may end in its own way.</summary>
    public void Terminate()
    {
        if (Sys.kill(_process.Id, Sys.SIGTERM) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
    }

    private static class Sys
    {
        public const int SIGTERM = 15;

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int signal);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
