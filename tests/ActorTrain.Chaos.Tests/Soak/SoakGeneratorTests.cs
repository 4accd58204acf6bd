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
    public void A_job_with_one_worker_process_never_has_that_worker_killed_beside_a_message_fault()
    {
        // soak-4-005: the only worker was killed while a delay was in force; no message passed in its window ("hit 0 of 0").
        var scenarios = Enumerable.Range(0, 2000).Select(i => ScenarioReader.FromText(SoakGenerator.Generate(4, i, 1.0).Render(), $"g{i}"))
            .Where(s => s.Topology.Processes && s.Topology.Workers == 1).ToList();

        Assert.True(scenarios.Count > 100, $"only {scenarios.Count} one-worker process scenarios");
        Assert.Contains(scenarios, s => s.Faults.Any(f => f.Kind == FaultKind.KillProcess && f.Target == "worker-1"));
        Assert.Contains(scenarios, s => s.Faults.Any(f => FaultKinds.IsMessageFault(f.Kind)));
        var both = scenarios.Where(s => s.Faults.Any(f => f.Kind == FaultKind.KillProcess && f.Target == "worker-1")
                                        && s.Faults.Any(f => FaultKinds.IsMessageFault(f.Kind)))
            .Select(s => $"{s.Name}: {string.Join(", ", s.Faults.Select(f => $"{f.Kind} {f.Target}"))}");
        Assert.Empty(both);
    }

    [Fact]
    public void No_scenario_loses_a_worker_process_and_a_shard_together_or_has_two_message_faults_on_one_type()
    {
        var scenarios = Enumerable.Range(0, 1000).Select(i => ScenarioReader.FromText(SoakGenerator.Generate(5, i, 0.5).Render(), $"g{i}")).ToList();
        static bool WorkerKilled(Scenario s) => s.Faults.Any(f => f.Kind == FaultKind.KillProcess && f.Target.StartsWith("worker-", StringComparison.Ordinal));
        static bool ShardLost(Scenario s) => s.Faults.Any(f => f.Kind == FaultKind.CorruptSnapshot
                                                               || f.Kind == FaultKind.CrashActor && f.Target.StartsWith("shard-", StringComparison.Ordinal)
                                                               || f.Kind == FaultKind.KillProcess && !f.Target.StartsWith("worker-", StringComparison.Ordinal));

        // soak-4-005: the backup died with the worker's process, and what the restored shard had applied of it was lost.
        Assert.Contains(scenarios, WorkerKilled);
        Assert.Contains(scenarios, ShardLost);
        Assert.DoesNotContain(scenarios, s => WorkerKilled(s) && ShardLost(s));
        // soak-3-299: a second drop of ShardWeights met only what the first had left, and hit nothing.
        var repeated = scenarios.Where(s => s.Faults.Where(f => FaultKinds.IsMessageFault(f.Kind)).SelectMany(f => f.Messages).GroupBy(m => m).Any(g => g.Count() > 1))
            .Select(s => s.Name);
        Assert.Empty(repeated);
        // soak-5-053: a drop stalled a BSP step for a resend, and a duplicate of RequestWork in force meanwhile hit 0 of 0;
        // soak-5-068: a store outage held the commits, and a reorder of RequestWork met 7 messages and hit none.
        Assert.Contains(scenarios, s => s.Faults.Any(f => f.Kind == FaultKind.Drop));
        Assert.Contains(scenarios, s => s.Faults.Any(f => f.Kind == FaultKind.StoreOutage));
        Assert.DoesNotContain(scenarios, s => s.Faults.Any(f => f.Kind == FaultKind.Drop) && s.Faults.Count(f => FaultKinds.IsMessageFault(f.Kind)) > 1);
        Assert.Empty(scenarios.Where(s => s.Faults.Any(f => f.Kind == FaultKind.StoreOutage) && s.Faults.Any(f => FaultKinds.IsMessageFault(f.Kind)))
            .Select(s => $"{s.Name}: {string.Join(", ", s.Faults.Select(f => f.Kind))}"));
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
