using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorTrain.Core.History;

/// <summary>
/// Histories on disk: JSON lines (one event per line, <c>history.jsonl</c> in a run folder). This is a file format
/// for the checker and the report, not the wire.
/// </summary>
public static class HistoryFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static string ToLine(HistoryEvent historyEvent) => JsonSerializer.Serialize(historyEvent, Json);

    /// <exception cref="JsonException">The line is not one history event.</exception>
    public static HistoryEvent ParseLine(string line) =>
        JsonSerializer.Deserialize<HistoryEvent>(line, Json) ?? throw new JsonException("null is not a history event");

    /// <summary>Writes the events to a new file, replacing any file there.</summary>
    public static void Write(string path, IEnumerable<HistoryEvent> events) => WriteLines(path, events, append: false);

    /// <summary>Appends the events to the file, creating it when missing.</summary>
    public static void Append(string path, IEnumerable<HistoryEvent> events) => WriteLines(path, events, append: true);

    /// <summary>
    /// Reads a file's events in file order. Blank lines are skipped, and so is a last line without its newline that
    /// does not parse (a write cut short by a killed process).
    /// </summary>
    /// <exception cref="InvalidDataException">A line that is not an event, naming the file and the line.</exception>
    public static IReadOnlyList<HistoryEvent> Read(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var lines = text.Split('\n');
        var events = new List<HistoryEvent>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            try
            {
                events.Add(ParseLine(line));
            }
            catch (Exception error) when (error is JsonException or NotSupportedException)
            {
                var cutShort = i == lines.Length - 1;
                if (!cutShort) throw new InvalidDataException($"{path}:{i + 1}: not a history event: {error.Message}", error);
            }
        }
        return events;
    }

    /// <summary>Reads the files of several processes and merges them (<see cref="HistoryMerge.Merge"/>).</summary>
    public static IReadOnlyList<HistoryEvent> ReadMerged(IEnumerable<string> paths) => HistoryMerge.Merge(paths.Select(Read));

    private static void WriteLines(string path, IEnumerable<HistoryEvent> events, bool append)
    {
        using var writer = new StreamWriter(path, append, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        foreach (var historyEvent in events) writer.WriteLine(ToLine(historyEvent));
    }
}
