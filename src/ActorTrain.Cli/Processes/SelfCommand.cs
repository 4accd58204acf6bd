using System.Diagnostics;

namespace ActorTrain.Cli.Processes;

/// <summary>Starts this same program (apphost or <c>dotnet actortrain.dll</c>) with other arguments.</summary>
public static class SelfCommand
{
    /// <param name="output">Gets each line the child prints to its standard output or error.</param>
    public static Process Start(IReadOnlyList<string> arguments, Action<string> output)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(SelfCommand).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line) output(line);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line) output(line);
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
