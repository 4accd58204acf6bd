using System.Text.Json.Nodes;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using ActorTrain.Core.History;
using Xunit;

namespace ActorTrain.Cli.Tests.Output;

/// <summary>The invariant checks at the end of a run, on the history its processes really recorded.</summary>
public sealed class RunInvariantsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-invariants-").FullName;

    private const string Job = """
        akka.loglevel = WARNING
        actortrain {
          job { name = inv, epochs = 1, workers = 2, shards = 2, mode = asp }
          model { hidden = [16] }
          data { task = synthetic, validation-size = 128, synthetic { train-size = 512, test-size = 128, features = 8, classes = 3 } }
          training { micro-batch-size = 16, batch-size = 32 }
          evaluator { every-updates = 0 }
          torch { threads = 1 }
        }
        """;

    private async Task<(int Code, string Output, string Folder)> Run(params string[] extra)
    {
        var job = Path.Combine(_directory, "job.hocon");
        await File.WriteAllTextAsync(job, Job);
        var runs = Path.Combine(_directory, "runs");
        var output = new StringWriter();
        var code = await Program.RunAsync(["run", job, "--in-process", "--runs-dir", runs, .. extra], output, new StringWriter(), CancellationToken.None);
        return (code, output.ToString(), Directory.GetDirectories(runs).Single());
    }

    private static JsonObject Summary(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();

    [Fact]
    public async Task A_push_applied_twice_written_into_a_real_run_s_history_is_caught()
    {
        var (code, _, folder) = await Run("--fail-on-violation");
        Assert.Equal(0, code);
        var settings = ActorTrainSettings.Create(JobConfig.FromFile(Path.Combine(_directory, "job.hocon")));
        var plan = JobHead.PlanOf(settings, JobData.Load(settings));
        Assert.True(RunInvariants.Check(folder, settings, plan, 2)!.All(v => v.Holds));

        // Tampered: one application recorded again later, as a shard that applied a resend would have.
        var file = Directory.GetFiles(RunInvariants.HistoryDirectory(folder), "*.jsonl").Single();
        var applied = HistoryFile.Read(file).OfType<PushApplied>().First();
        HistoryFile.Append(file, [applied with { Sequence = long.MaxValue, At = applied.At.AddSeconds(1) }]);
        var verdict = RunInvariants.Check(folder, settings, plan, 2)![0];

        Assert.False(verdict.Holds);
        Assert.StartsWith($"push {applied.Push} applied twice at shard {applied.Shard}", verdict.Detail);
    }

    [Fact]
    public async Task With_the_history_off_nothing_is_recorded_and_no_verdict_is_given()
    {
        var (code, output, folder) = await Run("--set", "actortrain.run.history=off");

        Assert.Equal(0, code);
        Assert.False(Directory.Exists(Path.Combine(folder, "history")) && Directory.EnumerateFiles(Path.Combine(folder, "history")).Any());
        Assert.False(Summary(folder).ContainsKey("invariants"));
        Assert.DoesNotContain("invariant 1", output);
    }

    [Fact]
    public void A_run_whose_history_is_on_but_empty_is_not_checked_rather_than_held()
    {
        var settings = ActorTrainSettings.Create(JobConfig.FromText(Job));
        var plan = new ActorTrain.Core.Data.BatchPlan(384, 16, 2, 1, 42);

        var verdicts = RunInvariants.Check(_directory, settings, plan, 2)!;

        Assert.All(verdicts, v => Assert.False(v.Checked));
        Assert.All(verdicts, v => Assert.StartsWith("no history was recorded in ", v.Detail));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
