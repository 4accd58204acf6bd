namespace ActorTrain.Integration.Tests;

/// <summary>Process ids from /proc: the children of a process, and whether a process still runs.</summary>
internal static class ChildProcesses
{
    public static IReadOnlyList<int> Of(int parent) =>
        [.. Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1)
            .Where(pid => pid > 0 && ParentOf(pid) == parent)];

    /// <summary>The child of <paramref name="parent"/> whose command line holds all of <paramref name="arguments"/> in order.</summary>
    public static int With(int parent, params string[] arguments) =>
        Of(parent).Single(pid => (Read($"/proc/{pid}/cmdline") ?? "").Contains(string.Join('\0', arguments), StringComparison.Ordinal));

    public static void Kill(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill(); // SIGKILL

    public static bool IsRunning(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        // A zombie (state Z) has exited and only waits to be reaped.
        return stat != null && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0] != "Z";
    }

    private static int ParentOf(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat is null) return -1;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
    }
}
