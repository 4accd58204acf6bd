namespace ActorTrain.Chaos.Processes;

/// <summary>
/// The processes of a job, found in /proc: the head (the <c>actortrain run</c> the runner started) and its descendants,
/// named from their command lines (<c>node --roles worker --worker-id worker-1</c> is worker-1, <c>--roles ps --worker-id
/// ps-1</c> is ps-1, a coordinator node coordinator-N is standby-N), plus nodes the runner restarted itself.
/// </summary>
public static class ProcessTable
{
    public static IReadOnlyList<JobProcess> Of(int headPid, IEnumerable<int> restarted)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var pid in AllPids())
            if (ParentOf(pid) is { } parent)
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
        var found = new List<JobProcess>();
        var queue = new Queue<int>([headPid, .. restarted]);
        var seen = new HashSet<int>();
        while (queue.TryDequeue(out var pid))
        {
            if (!seen.Add(pid) || CommandLine(pid) is not { Count: > 0 } line) continue;
            if (pid == headPid) found.Add(new JobProcess(pid, "head", line));
            else if (NameOf(line) is { } name) found.Add(new JobProcess(pid, name, line));
            foreach (var child in children.GetValueOrDefault(pid, [])) queue.Enqueue(child);
        }
        return found;
    }

    /// <summary>Every process below <paramref name="pid"/> and itself, deepest first (for killing a tree).</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        if (pid <= 1) return [];
        var children = AllPids().Select(p => (p, ParentOf(p))).Where(x => x.Item2 != null).ToLookup(x => x.Item2!.Value, x => x.p);
        var order = new List<int>();
        void Walk(int p)
        {
            foreach (var c in children[p]) Walk(c);
            order.Add(p);
        }
        Walk(pid);
        return order;
    }

    /// <summary>Live processes whose command line mentions <paramref name="path"/> (a run's folder): what a job left, orphans included.</summary>
    public static IReadOnlyList<int> Mentioning(string path) =>
        [.. AllPids().Where(p => p != Environment.ProcessId && CommandLine(p) is { } line && line.Any(a => a.Contains(path, StringComparison.Ordinal)))];

    /// <summary>What a node's command line says it is: worker-N, ps-N or standby-N; null for anything else.</summary>
    public static string? NameOf(IReadOnlyList<string> line)
    {
        var args = line.ToList();
        if (!args.Contains("node")) return null;
        string? Value(string flag)
        {
            var i = args.IndexOf(flag);
            return i >= 0 && i + 1 < line.Count ? line[i + 1] : null;
        }
        var id = Value("--worker-id");
        if (id is null) return null;
        return id.StartsWith("coordinator-", StringComparison.Ordinal) ? $"standby-{id["coordinator-".Length..]}" : id;
    }

    public static IReadOnlyList<string>? CommandLine(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/cmdline");
            return text.Length == 0 ? null : text.TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && State(pid) is not ('Z' or 'X' or null);

    private static char? State(int pid)
    {
        var stat = Stat(pid);
        var close = stat?.LastIndexOf(')') ?? -1;
        return close > 0 && close + 2 < stat!.Length ? stat[close + 2] : null;
    }

    private static int? ParentOf(int pid)
    {
        var stat = Stat(pid);
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0) return null;
        var fields = stat![(close + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : null;
    }

    private static string? Stat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var p) ? p : -1).Where(p => p > 0);
}
