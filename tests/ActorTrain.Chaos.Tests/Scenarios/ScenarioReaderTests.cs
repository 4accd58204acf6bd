using ActorTrain.Chaos.Scenarios;
using Xunit;

namespace ActorTrain.Chaos.Tests.Scenarios;

/// <summary>Scenario files: what they hold, and the errors for what they must not.</summary>
public sealed class ScenarioReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-scenario-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Job = """
        actortrain {
          job { name = t, epochs = 4 }
          model { kind = mlp, hidden = [16] }
          data { task = synthetic, validation-size = 256, synthetic { train-size = 1024, test-size = 256 } }
        }
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Scenario Read(string chaos) => ScenarioReader.FromFile(Write("s.hocon", $"{Job}\nchaos {{\n{chaos}\n}}"));

    private ScenarioException Refused(string chaos) => Assert.Throws<ScenarioException>(() => Read(chaos));

    [Fact]
    public void A_scenario_holds_its_seed_topology_faults_and_expectations()
    {
        var s = Read("""
            seed = 9
            topology { processes = on, workers = 3, ps-nodes = 2, standby-coordinators = 1 }
            faults = [
              { kind = kill-process, target = worker-2, at-update = 100 }
              { kind = restart, target = worker-2, at-update = 100, after = 3s }
              { kind = delay, messages = [PushGradients], probability = 0.5, delay = 200ms, random-delay = on, at-epoch = 1.5, duration = 4s }
              { kind = partition, sides = [[worker-1], [head, worker-3]], at-seconds = 7, duration = 2s }
            ]
            expect { invariants = [1, 2, 6], accuracy-tolerance = 0.02, time-bound = 90s }
            """);

        Assert.Equal(9, s.Seed);
        Assert.Equal(new Topology(true, 3, 2, 1, "sqlite", ""), s.Topology);
        Assert.Equal([FaultKind.KillProcess, FaultKind.Restart, FaultKind.Delay, FaultKind.Partition], s.Faults.Select(f => f.Kind));
        Assert.Equal(FaultTrigger.AtUpdate(100), s.Faults[0].At);
        Assert.Equal(TimeSpan.FromSeconds(3), s.Faults[1].After);
        var delay = s.Faults[2];
        Assert.Equal((new FaultTrigger(FaultTrigger.Unit.Epoch, 1.5), 0.5, TimeSpan.FromMilliseconds(200), true, TimeSpan.FromSeconds(4)),
            (delay.At, delay.Probability, delay.Delay, delay.RandomDelay, delay.Duration));
        Assert.Equal(["PushGradients"], delay.Messages);
        Assert.Equal([["worker-1"], ["head", "worker-3"]], s.Faults[3].Sides);
        Assert.Equal(new[] { 1, 2, 6 }, s.Expect.Invariants);
        Assert.Equal((0.02, TimeSpan.FromSeconds(90)), (s.Expect.AccuracyTolerance, s.Expect.TimeBound));
        Assert.Contains("actortrain.job.workers = 3", s.JobHocon);
    }

    [Fact]
    public void The_job_comes_from_an_include_relative_to_the_scenario_file_with_overrides_on_top()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "jobs"));
        Write("jobs/base.hocon", Job);
        Directory.CreateDirectory(Path.Combine(_directory, "scenarios"));
        var file = Write("scenarios/s.hocon", "include \"../jobs/base.hocon\"\nactortrain.job.epochs = 9\nchaos.topology.processes = off\n");

        var s = ScenarioReader.FromFile(file);

        var settings = Actors.Settings.ActorTrainSettings.Create(Actors.Settings.JobConfig.FromText(s.JobHocon));
        Assert.Equal((9, "t"), (settings.Job.Epochs, settings.Job.Name));
        Assert.Equal("s", s.Name);
    }

    [Theory]
    [InlineData("sede = 1", "unknown key chaos.sede")]
    [InlineData("topology { processes = on, wrokers = 2 }", "unknown key chaos.topology.wrokers")]
    [InlineData("faults = [{ kind = kill-process, target = worker-1, at-update = 5, durashun = 1s }]", "unknown key chaos.faults[0].durashun")]
    [InlineData("faults = [{ kind = explode, at-update = 5 }]", "chaos.faults[0].kind = explode is not valid: expected one of kill-process")]
    [InlineData("faults = [{ kind = kill-process, target = worker-7, at-update = 5 }]", "chaos.faults[0].target = worker-7 is not valid: expected a process of this topology: head, worker-1, worker-2")]
    [InlineData("faults = [{ kind = kill-process, target = worker-1 }]", "expected exactly one of at-update, at-epoch or at-seconds")]
    [InlineData("faults = [{ kind = drop, messages = [PushGradient], at-update = 5 }]", "chaos.faults[0].messages = PushGradient is not valid")]
    [InlineData("faults = [{ kind = drop, probability = 1.5, at-update = 5 }]", "chaos.faults[0].probability = 1.5 is not valid: expected a number from 0 to 1")]
    [InlineData("topology.processes = off\nfaults = [{ kind = kill-process, target = head, at-update = 5 }]", "this topology has processes = off")]
    [InlineData("expect.invariants = [7]", "chaos.expect.invariants = 7 is not valid: expected numbers from 1 to 6")]
    [InlineData("topology.store = mysql", "chaos.topology.store = mysql is not valid: expected sqlite or postgresql")]
    public void Unknown_keys_and_bad_values_are_refused_naming_the_key_the_value_and_what_was_expected(string chaos, string message)
    {
        Assert.Contains(message, Refused(chaos).Message);
    }

    [Fact]
    public void A_bad_job_key_in_a_scenario_is_refused_like_a_job_file()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioReader.FromFile(Write("s.hocon", $"{Job}\nactortrain.job.wokers = 2\nchaos.seed = 1")));

        Assert.Contains("actortrain.job.wokers", e.Message);
    }

    [Fact]
    public void A_job_file_without_a_chaos_section_is_not_a_scenario()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioReader.FromFile(Write("job.hocon", Job)));

        Assert.Contains("has no chaos { … } section", e.Message);
    }

    [Fact]
    public void Every_shipped_scenario_reads()
    {
        var shipped = Directory.GetFiles(Path.Combine(Repository.Root, "chaos", "scenarios"), "*.hocon");

        Assert.True(shipped.Length >= 12, $"only {shipped.Length} shipped scenarios");
        foreach (var file in shipped) Assert.NotEmpty(ScenarioReader.FromFile(file).Faults);
    }
}
