using ActorTrain.Chaos.Scenarios;
using ActorTrain.Chaos.Schedule;
using Xunit;

namespace ActorTrain.Chaos.Tests.Schedule;

/// <summary>The schedule is a pure function of the scenario: the same seed gives the same injections, always.</summary>
public sealed class FaultScheduleTests
{
    private static Scenario WithFaults(long seed, params FaultSpec[] faults) =>
        new("s", seed, Topology.Default with { Workers = 3, PsNodes = 2 }, "", faults, new Expectations([1], 0.05, TimeSpan.FromMinutes(1)));

    private static FaultSpec KillLoop(bool includePs = false) => new(FaultKind.KillLoop, FaultTrigger.AtSeconds(2))
    {
        MeanTimeBetweenFailures = TimeSpan.FromSeconds(5), For = TimeSpan.FromSeconds(120), RestartAfter = TimeSpan.FromSeconds(2), IncludePs = includePs,
    };

    [Fact]
    public void The_same_seed_gives_the_same_schedule_and_another_seed_another()
    {
        var a = FaultSchedule.Of(WithFaults(7, KillLoop()));
        var b = FaultSchedule.Of(WithFaults(7, KillLoop()));
        var c = FaultSchedule.Of(WithFaults(8, KillLoop()));

        Assert.Equal(a.Select(f => (f.Kind, f.Target, f.Offset, f.Seed)), b.Select(f => (f.Kind, f.Target, f.Offset, f.Seed)));
        Assert.NotEqual(a.Select(f => (f.Target, f.Offset)), c.Select(f => (f.Target, f.Offset)));
    }

    [Fact]
    public void A_kill_loop_kills_workers_about_every_mtbf_and_restarts_each_after_its_delay_never_killing_one_that_is_down()
    {
        var schedule = FaultSchedule.Of(WithFaults(3, KillLoop()));

        var kills = schedule.Where(f => f.Kind == FaultKind.KillProcess).ToList();
        Assert.InRange(kills.Count, 12, 36); // 120 s at a mean of 5 s: 24 expected, skips for victims still down aside
        Assert.All(kills, k => Assert.StartsWith("worker-", k.Target));
        Assert.All(kills, k => Assert.Contains(schedule, r => r.Kind == FaultKind.Restart && r.Target == k.Target && r.Offset == k.Offset + TimeSpan.FromSeconds(2)));
        foreach (var group in kills.GroupBy(k => k.Target))
        {
            var times = group.Select(k => k.Offset).Order().ToList();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Item2 - pair.Item1 >= TimeSpan.FromSeconds(2), $"{group.Key} killed while down"));
        }
        Assert.True(kills.Max(k => k.Offset) <= TimeSpan.FromSeconds(120));
    }

    [Fact]
    public void A_kill_loop_with_ps_nodes_may_pick_them_too()
    {
        var targets = FaultSchedule.Of(WithFaults(5, KillLoop(includePs: true))).Select(f => f.Target).ToHashSet();

        Assert.Contains("ps-1", targets);
        Assert.DoesNotContain("head", targets);
    }

    [Fact]
    public void Declared_faults_are_scheduled_in_order_with_their_own_offsets_and_distinct_seeds()
    {
        var schedule = FaultSchedule.Of(WithFaults(1,
            new FaultSpec(FaultKind.KillProcess, FaultTrigger.AtUpdate(10)) { Target = "worker-1" },
            new FaultSpec(FaultKind.Restart, FaultTrigger.AtUpdate(10)) { Target = "worker-1", After = TimeSpan.FromSeconds(3) },
            new FaultSpec(FaultKind.Drop, FaultTrigger.AtUpdate(20)) { Probability = 0.1 }));

        Assert.Equal([0, 1, 2], schedule.Select(f => f.Fault));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(3), TimeSpan.Zero], schedule.Select(f => f.Offset));
        Assert.Equal(3, schedule.Select(f => f.Seed).Distinct().Count());
    }
}
