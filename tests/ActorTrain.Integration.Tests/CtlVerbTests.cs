using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>
/// `actortrain ctl` on a live multi-process run (issue 10 item 7): status, set-lr, scale-lr, pause, continue, checkpoint
/// and stop, each answered in words and with an exit code; a stopped run resumes from the checkpoint its stop took.
/// </summary>
public sealed class CtlVerbTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-ctl-").FullName;

    private string Job(int epochs)
    {
        var path = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(path, $$"""
            actortrain {
              job { name = ctl, seed = 5, epochs = {{epochs}}, workers = 2, shards = 2 }
              model { kind = mlp, hidden = [32] }
              data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
              training { micro-batch-size = 32, batch-size = 128 }
              optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.5 }
              evaluator { every-updates = 200 }
              persistence.checkpoint.every-updates = 0
            }
            """);
        return path;
    }

    private string RunFolder() => Directory.GetDirectories(Path.Combine(_directory, "runs")).Single();

    private async Task<(int Code, string Output)> Ctl(params string[] verb)
    {
        using var ctl = ActorTrainProcess.Start(_directory, ["ctl", RunFolder(), .. verb]);
        var code = await ctl.ExitCode(TimeSpan.FromMinutes(3));
        return (code, ctl.Output);
    }

    private IEnumerable<JsonNode> Metrics() =>
        File.ReadAllLines(Path.Combine(RunFolder(), "metrics.jsonl")).Select(l => JsonNode.Parse(l)!);

    [Fact]
    public async Task Status_rates_pause_continue_and_checkpoint_change_a_live_run_and_a_finished_run_is_refused()
    {
        using var run = ActorTrainProcess.Start(_directory, "run", Job(epochs: 80), "--runs-dir", "runs");
        await run.WaitForOutput("validation at update", RunTimeout);

        var status = await Ctl("status");
        Assert.Equal(0, status.Code);
        Assert.Contains("state: running", status.Output);
        Assert.Contains("mode: asp", status.Output);
        Assert.Matches(@"learning rate: 0\.05 \(no change\)", status.Output);
        Assert.Matches(@"workers: 2: worker-1 \(holds \d+, committed \d+\), worker-2", status.Output);
        Assert.Matches(@"evaluation: at update \d+: validation loss", status.Output);

        var set = await Ctl("set-lr", "0.02");
        Assert.Equal(0, set.Code);
        Assert.Matches(@"learning rate 0\.02 from update \d+", set.Output);
        var scaled = await Ctl("scale-lr", "0.5");
        Assert.Equal(0, scaled.Code);
        Assert.Matches(@"learning rate 0\.01 from update \d+", scaled.Output);
        var negative = await Ctl("set-lr", "-1");
        Assert.NotEqual(0, negative.Code);
        Assert.Contains("set-lr -1: expected a number above 0", negative.Output);

        var paused = await Ctl("pause");
        Assert.Equal(0, paused.Code);
        var at = long.Parse(Regex.Match(paused.Output, @"paused at update (\d+)").Groups[1].Value);
        var again = await Ctl("pause");
        Assert.Equal((2, true), (again.Code, again.Output.Contains("not done: the run is already paused")));
        var restingStatus = await Ctl("status");
        Assert.Contains("state: paused", restingStatus.Output);
        var resting = long.Parse(Regex.Match(restingStatus.Output, @"update: (\d+)").Groups[1].Value);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Contains($"update: {resting} ", (await Ctl("status")).Output); // nothing moves while paused
        Assert.InRange(resting, at, at + 10); // only what was out when it paused was committed

        var checkpoint = await Ctl("checkpoint");
        Assert.Equal(0, checkpoint.Code);
        Assert.Matches(@"checkpoint (\d+) at update \d+ started; waiting for the shards' snapshots", checkpoint.Output);
        Assert.Matches(@"checkpoint \d+ at update \d+ is complete", checkpoint.Output);
        var continued = await Ctl("continue");
        Assert.Equal(0, continued.Code);
        Assert.Contains("continued at update", continued.Output);
        Assert.Equal(2, (await Ctl("continue")).Code);

        Assert.Equal(0, await run.ExitCode(RunTimeout));
        var rates = Metrics().Where(m => (string?)m["type"] == "learning-rate").ToList();
        Assert.Equal([0.02, 0.01], rates.Select(r => (double)r["learning_rate"]!));
        Assert.All(rates, r => Assert.Equal("ctl", (string?)r["source"]));
        Assert.Contains(Metrics(), m => (string?)m["type"] == "checkpoint");
        Assert.Equal(80 * 128, (long)JsonNode.Parse(File.ReadAllText(Path.Combine(RunFolder(), "summary.json")))!["updates"]!);

        var finished = await Ctl("status");
        Assert.NotEqual(0, finished.Code);
        Assert.Contains("has finished (its summary.json is written): there is no live run to control", finished.Output);
        Invariants.AssertHold(RunFolder(), 1, 2);
    }

    [Fact]
    public async Task Stop_ends_a_live_run_after_a_complete_checkpoint_and_resume_goes_on_from_it_to_the_end()
    {
        using var run = ActorTrainProcess.Start(_directory, "run", Job(epochs: 40), "--runs-dir", "runs");
        await run.WaitForOutput("validation at update", RunTimeout);

        var stop = await Ctl("stop");
        Assert.Equal(0, stop.Code);
        Assert.Contains("stopping at update", stop.Output);
        var complete = Regex.Match(stop.Output, @"checkpoint (\d+) at update (\d+) is complete; the run ends \(actortrain resume .+ goes on from it\)");
        Assert.True(complete.Success, stop.Output);
        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Assert.Contains($"training ended early: stopped by actortrain ctl after checkpoint {complete.Groups[1]} at update {complete.Groups[2]}", run.Output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(RunFolder(), "summary.json")))!;
        Assert.True((bool)summary["resumable"]!);
        Assert.Equal(long.Parse(complete.Groups[2].Value), (long)summary["updates"]!);

        using var resume = ActorTrainProcess.Start(_directory, "resume", RunFolder());
        Assert.Equal(0, await resume.ExitCode(RunTimeout));
        Assert.Contains($"resumed from checkpoint {complete.Groups[1]} at update {complete.Groups[2]}", resume.Output);
        var resumed = JsonNode.Parse(File.ReadAllText(Path.Combine(RunFolder(), "summary.json")))!;
        Assert.Equal(40 * 128, (long)resumed["updates"]!);
        Assert.Null(resumed["resumable"]);
        Invariants.AssertHold(RunFolder(), 1, 2);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
