using System.Text.Json.Nodes;
using ActorTrain.Cli.Output;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>The invariants' verdicts of a finished run, as `run` and `resume` wrote them to summary.json and as its history shows.</summary>
internal static class Invariants
{
    /// <summary>
    /// No invariant is violated, and each of <paramref name="mustBeChecked"/> was actually checked on a history that holds
    /// events (invariant 1 on applied pushes), so a run whose recording is broken cannot pass as "holds".
    /// </summary>
    public static void AssertHold(string runFolder, params int[] mustBeChecked)
    {
        var verdicts = Read(runFolder);
        Assert.True(verdicts.Count == 5, $"{runFolder}/summary.json holds {verdicts.Count} verdicts, not 5");
        var report = InvariantReport.Format(verdicts);
        Assert.True(InvariantReport.AllHold(verdicts), $"an invariant is violated in {runFolder}:\n{report}");
        foreach (var number in mustBeChecked)
            Assert.True(verdicts.Single(v => v.Number == number).Checked, $"invariant {number} was not checked in {runFolder}:\n{report}");
        if (mustBeChecked.Contains(1))
            Assert.False(verdicts[0].Detail.StartsWith("0 pushes applied", StringComparison.Ordinal), $"no push recorded in {runFolder}:\n{report}");
    }

    /// <summary>Invariant 4 checked on the run's history against the final-weights hash of the fault-free run with the same seed.</summary>
    public static void AssertBspWeightsEqual(string runFolder, string referenceHash)
    {
        var verdict = InvariantChecker.Check(History(runFolder), new InvariantCheckOptions(ConsistencyMode.Bsp) { ReferenceWeightsHash = referenceHash })
            .Single(v => v.Number == 4);
        Assert.True(verdict.Checked && verdict.Holds, InvariantReport.Line(verdict));
    }

    public static IReadOnlyList<InvariantVerdict> Read(string runFolder) =>
        RunInvariants.FromSummary(JsonNode.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json")))!.AsObject());

    /// <summary>Every process's history in the run folder, merged.</summary>
    public static IReadOnlyList<HistoryEvent> History(string runFolder) =>
        HistoryFile.ReadMerged(Directory.GetFiles(RunInvariants.HistoryDirectory(runFolder), "*.jsonl"));
}
