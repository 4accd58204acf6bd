using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorTrain.Cli.Report;

/// <summary>
/// The faults a chaos run fired, from the chaos.json the chaos runner writes into the run folder. A fault is placed where
/// the run was at its update count: the runner's seconds start at the first progress record it read, which comes while
/// the workers start, so they run ahead of the coordinator's training time by the workers' start-up.
/// </summary>
public static class ChaosFaults
{
    public static IReadOnlyList<RunEvent> Read(string runFolder, UpdateClock clock)
    {
        var path = Path.Combine(runFolder, "chaos.json");
        if (!File.Exists(path)) return [];
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return [];
        }
        var events = new List<RunEvent>();
        foreach (var fault in root?["faults"] as JsonArray ?? [])
        {
            if (fault is not JsonObject f || f["fired"] is not JsonValue fired || !fired.TryGetValue<bool>(out var yes) || !yes) continue;
            if (RateRecord.First(f, ["fired_at_seconds"]) is not { } at) continue;
            var update = RateRecord.First(f, ["fired_at_update"]) is { } u ? (long?)u : null;
            var what = string.Join(" ", new[] { Text(f, "kind"), Text(f, "target") }.Where(s => s.Length > 0));
            events.Add(new RunEvent((update is { } u2 ? clock.SecondsAt(u2) : null) ?? at, update, EventKind.Fault, $"fault #{Text(f, "fault")} {what}"));
        }
        return events;
    }

    private static string Text(JsonObject o, string key) => o[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };
}
