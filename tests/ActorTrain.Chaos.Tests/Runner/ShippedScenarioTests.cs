using System.Text.Json.Nodes;
using Xunit;

namespace ActorTrain.Chaos.Tests.Runner;

/// <summary>
/// Every scenario in chaos/scenarios, run end to end by `actortrain chaos` (real processes, real signals): each passes,
/// and each of its declared faults fired (the runner fails a scenario whose fault did not, and chaos.json says so).
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ShippedScenarioTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-chaos-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("kill-workers")]
    [InlineData("kill-ps")]
    [InlineData("kill-head-with-standby")]
    [InlineData("frozen-head")]
    [InlineData("partition-minority-worker")]
    [InlineData("flaky-network")]
    [InlineData("straggler-ssp")]
    [InlineData("store-outage")]
    [InlineData("corrupt-snapshot")]
    [InlineData("kill-loop")]
    [InlineData("bsp-bitwise-under-faults")]
    [InlineData("crash-shard-asp")]
    public async Task A_shipped_scenario_passes_with_every_fault_fired(string name)
    {
        var (exit, output) = await ActorTrainCommand.RunAsync(Timeout, "chaos", Path.Combine("chaos", "scenarios", $"{name}.hocon"), "--dir", _directory, "--quiet");

        Assert.True(exit == 0, $"chaos {name} exited {exit}:\n{output}");
        var report = ChaosJson(output);
        var faults = report["faults"]!.AsArray();
        Assert.NotEmpty(faults);
        // Each declared fault fired (a kill-loop's later kills may find the job over: one of its injections is enough).
        Assert.All(faults.GroupBy(f => (int)f!["fault"]!), declared => Assert.True(declared.Any(f => (bool)f!["fired"]!),
            $"declared fault #{declared.Key} never fired:\n{output}"));
        Assert.Contains(report["verdicts"]!.AsArray(), v => ((string)v!["expectation"]!).StartsWith("fault #", StringComparison.Ordinal));
        Assert.All(report["verdicts"]!.AsArray(), v => Assert.True((bool)v!["holds"]!, $"{v}\n{output}"));
        Assert.Empty(Leftovers());
    }

    private JsonObject ChaosJson(string output)
    {
        var line = output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("chaos ", StringComparison.Ordinal) && l.Contains("run folder ", StringComparison.Ordinal));
        var folder = line[(line.IndexOf("run folder ", StringComparison.Ordinal) + "run folder ".Length)..];
        return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "chaos.json")))!.AsObject();
    }

    /// <summary>Processes of this test's runs still alive: there must be none, whatever happened.</summary>
    private List<int> Leftovers() => [.. Processes.ProcessTable.Mentioning(_directory)];
}
