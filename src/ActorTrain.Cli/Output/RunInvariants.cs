using System.Text.Json.Nodes;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Data;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;

namespace ActorTrain.Cli.Output;

/// <summary>
/// DESIGN's invariants 1 to 5 checked on a run's recorded history: every process's <c>history/*.jsonl</c> in the run
/// folder (all sessions of a resumed run), merged. The verdicts go to summary.json under <c>invariants</c> and are printed
/// one line each at the end of run and resume.
/// </summary>
public static class RunInvariants
{
    public const string HistoryFolder = "history";
    public const string SummaryKey = "invariants";

    /// <summary>Where the processes of the run in <paramref name="runFolder"/> write their history.</summary>
    public static string HistoryDirectory(string runFolder) => Path.Combine(Path.GetFullPath(runFolder), HistoryFolder);

    /// <summary>
    /// The verdicts on the run's history, or null when its history is off. With the history on and no event recorded the
    /// wiring is broken: each invariant is then "not checked" with that reason, never a vacuous "holds".
    /// </summary>
    public static IReadOnlyList<InvariantVerdict>? Check(string runFolder, ActorTrainSettings settings, BatchPlan plan, int shardCount)
    {
        if (!settings.Run.History) return null;
        var directory = HistoryDirectory(runFolder);
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.jsonl") : [];
        var history = HistoryFile.ReadMerged(files);
        var options = new InvariantCheckOptions(settings.Job.Mode, Math.Max(0, settings.Job.Staleness)) { Plan = plan, ShardCount = shardCount };
        var verdicts = InvariantChecker.Check(history, options);
        return history.Count > 0
            ? verdicts
            : [.. verdicts.Select(v => InvariantVerdict.NotChecked(v.Number, v.Name, $"no history was recorded in {directory}"))];
    }

    public static JsonArray ToJson(IEnumerable<InvariantVerdict> verdicts) =>
    [
        .. verdicts.Select(v => (JsonNode)new JsonObject
        {
            ["number"] = v.Number,
            ["name"] = v.Name,
            ["verdict"] = !v.Checked ? "not checked" : v.Holds ? "holds" : "violated",
            ["detail"] = v.Detail,
        }),
    ];

    /// <summary>The verdicts a summary.json holds; empty when the run's history was off.</summary>
    public static IReadOnlyList<InvariantVerdict> FromSummary(JsonObject summary) =>
        summary[SummaryKey] is JsonArray verdicts
            ? [.. verdicts.Select(v => new InvariantVerdict((int)v!["number"]!, (string)v["name"]!, (string)v["verdict"]! != "violated", (string)v["detail"]!,
                (string)v["verdict"]! != "not checked"))]
            : [];
}
