using ActorTrain.Chaos.Scenarios;
using ActorTrain.Chaos.Soak;
using Xunit;

namespace ActorTrain.Chaos.Tests.Soak;

/// <summary>Generated soak scenarios: reproducible from the seed, valid scenarios, and shrinkable by their fault blocks.</summary>
public sealed class SoakGeneratorTests
{
    [Fact]
    public void The_same_seed_and_index_give_the_same_scenario_text()
    {
        Assert.Equal(SoakGenerator.Generate(4, 17, 0.2).Render(), SoakGenerator.Generate(4, 17, 0.2).Render());
        Assert.NotEqual(SoakGenerator.Generate(4, 17, 0.2).Render(), SoakGenerator.Generate(5, 17, 0.2).Render());
    }

    [Fact]
    public void Every_generated_scenario_reads_and_the_share_with_processes_is_about_as_asked()
    {
        var scenarios = Enumerable.Range(0, 300).Select(i => ScenarioReader.FromText(SoakGenerator.Generate(11, i, 0.2).Render(), $"g{i}")).ToList();

        var withProcesses = scenarios.Count(s => s.Topology.Processes);
        Assert.InRange(withProcesses, 30, 90);
        Assert.All(scenarios, s => Assert.NotEmpty(s.Faults));
        var kinds = scenarios.SelectMany(s => s.Faults.Select(f => f.Kind)).ToHashSet();
        Assert.Superset(new HashSet<FaultKind> { FaultKind.CrashActor, FaultKind.Drop, FaultKind.Corrupt, FaultKind.StoreOutage, FaultKind.KillProcess, FaultKind.Isolate }, kinds);
    }

    [Fact]
    public void Rendering_a_subset_of_fault_blocks_keeps_the_job_and_drops_the_rest()
    {
        var generated = SoakGenerator.Generate(2, 3, 1.0);
        var all = ScenarioReader.FromText(generated.Render(), "all");
        var none = ScenarioReader.FromText(generated.Render([]), "none");

        Assert.Empty(none.Faults);
        Assert.Equal(all.JobHocon, none.JobHocon);
        Assert.Equal(all.Topology, none.Topology);
    }
}
