using System.Text.Json;

namespace ActorTrain.Chaos.Agent;

/// <summary>
/// The files through which the runner drives the agents in a job's processes (a seam the OS gives: no port, no
/// production code): agents/&lt;pid&gt;.json (each agent's address), commands.jsonl (the runner's commands, appended),
/// results/&lt;pid&gt;.jsonl and events/&lt;pid&gt;.jsonl (each agent's answers and the warnings its process logged).
/// </summary>
public sealed class ControlDirectory(string path)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string Commands => System.IO.Path.Combine(Path, "commands.jsonl");
    public string AgentsDirectory => System.IO.Path.Combine(Path, "agents");
    public string ResultsDirectory => System.IO.Path.Combine(Path, "results");
    public string EventsDirectory => System.IO.Path.Combine(Path, "events");

    public string AgentFile(int pid) => System.IO.Path.Combine(AgentsDirectory, $"{pid}.json");
    public string ResultFile(int pid) => System.IO.Path.Combine(ResultsDirectory, $"{pid}.jsonl");
    public string EventFile(int pid) => System.IO.Path.Combine(EventsDirectory, $"{pid}.jsonl");

    public void Create()
    {
        Directory.CreateDirectory(AgentsDirectory);
        Directory.CreateDirectory(ResultsDirectory);
        Directory.CreateDirectory(EventsDirectory);
        if (!File.Exists(Commands)) File.WriteAllText(Commands, "");
    }

    /// <summary>Appends one line with a single write, so a reader sees whole lines only (it keeps a partial last line for later).</summary>
    public static void AppendLine(string file, object record) => AppendLines(file, [record]);

    /// <summary>Appends the records' lines in a single write: a process that ends meanwhile leaves all of them or none.</summary>
    public static void AppendLines(string file, IEnumerable<object> records)
    {
        var text = string.Concat(records.Select(r => JsonSerializer.Serialize(r, r.GetType(), Json) + "\n"));
        using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
