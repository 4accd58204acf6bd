using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Runner;

/// <summary>The end of a chaos run: the timeline of faults, one verdict per expectation, and chaos.json in the run folder.</summary>
public static class ChaosReport
{
    public const string FileName = "chaos.json";

    public static void Print(ChaosOutcome outcome, TextWriter output)
    {
        output.WriteLine("timeline:");
        foreach (var i in outcome.Injections.OrderBy(i => i.FiredAt ?? double.MaxValue))
        {
            var when = i.FiredAt is { } t ? $"{t.ToString("0.0", CultureInfo.InvariantCulture),7} s  update {i.FiredAtUpdate,6}" : "      -  update      -";
            var end = i.EndedAt is { } e ? $" (until {e.ToString("0.0", CultureInfo.InvariantCulture)} s)" : "";
            output.WriteLine($"  {when}  {i.Fault.Describe()}: {(i.Fired ? $"fired{end}{(i.Count > 0 ? $", hit {i.Count}" : "")}" : $"did not fire — {i.NotFired}")}");
        }
        output.WriteLine("verdicts:");
        foreach (var v in outcome.Verdicts) output.WriteLine($"  {v}");
        output.WriteLine($"chaos {outcome.Scenario}: {(outcome.Passed ? "PASSED" : "FAILED")} in {outcome.WallSeconds:0.0} s; " +
                         $"{(outcome.RunFolder is { } f ? $"run folder {f}" : $"work folder {outcome.WorkFolder}")}");
    }

    public static async Task WriteAsync(ChaosOutcome outcome, Scenario scenario, ReferenceResult? reference, CancellationToken cancellation)
    {
        var json = new JsonObject
        {
            ["scenario"] = scenario.Name,
            ["source"] = scenario.SourcePath,
            ["seed"] = scenario.Seed,
            ["topology"] = scenario.Topology.ToString(),
            ["passed"] = outcome.Passed,
            ["wall_seconds"] = outcome.WallSeconds,
            ["reference"] = reference is null ? null : new JsonObject { ["test_accuracy"] = reference.TestAccuracy, ["weights_sha256"] = reference.WeightsSha256 },
            ["faults"] = new JsonArray([.. outcome.Injections.Select(i => (JsonNode)new JsonObject
            {
                ["fault"] = i.Fault.Fault, ["step"] = i.Fault.Step, ["kind"] = FaultKinds.NameOf(i.Fault.Kind), ["target"] = i.Fault.Target,
                ["when"] = i.Fault.When, ["fired"] = i.Fired, ["fired_at_seconds"] = i.FiredAt, ["fired_at_update"] = i.FiredAt is null ? null : i.FiredAtUpdate,
                ["ended_at_seconds"] = i.EndedAt, ["count"] = i.Count, ["detail"] = i.Fired ? i.Detail : i.NotFired,
            })]),
            ["verdicts"] = new JsonArray([.. outcome.Verdicts.Select(v => (JsonNode)new JsonObject
                { ["expectation"] = v.Expectation, ["holds"] = v.Holds, ["detail"] = v.Detail })]),
        };
        var path = Path.Combine(outcome.RunFolder ?? outcome.WorkFolder, FileName);
        await File.WriteAllTextAsync(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellation).ConfigureAwait(false);
    }
}
