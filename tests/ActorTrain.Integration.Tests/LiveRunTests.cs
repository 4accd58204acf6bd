using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>Changing a multi-process run while it runs: its mode, and its membership.</summary>
public sealed class LiveRunTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-live-").FullName;

    private string Job(int workers, int epochs)
    {
        var path = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(path, $$"""
            actortrain {
              job { name = live, seed = 5, epochs = {{epochs}}, workers = {{workers}}, shards = 2 }
              model { kind = mlp, hidden = [32] }
              data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
              training { micro-batch-size = 32, batch-size = 128 }
              optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.5 }
              evaluator { every-updates = 200 }
            }
            """);
        return path;
    }

    private string RunFolder() => Directory.GetDirectories(Path.Combine(_directory, "runs")).Single();

    private JsonNode Read(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(RunFolder(), file)))!;

    /// <summary>Starts a run and waits for its first validation: it is then well under way.</summary>
    private async Task<ActorTrainProcess> StartRun(int workers, int epochs)
    {
        var run = ActorTrainProcess.Start(_directory, "run", Job(workers, epochs), "--runs-dir", "runs");
        await run.WaitForOutput("validation at update", RunTimeout);
        return run;
    }

    /// <summary>`actortrain ctl &lt;run&gt; set-mode &lt;mode&gt;`: its exit code and output.</summary>
    private async Task<(int Code, string Output)> SetMode(string mode)
    {
        using var ctl = ActorTrainProcess.Start(_directory, "ctl", RunFolder(), "set-mode", mode);
        var code = await ctl.ExitCode(TimeSpan.FromSeconds(60));
        return (code, ctl.Output);
    }

    [Fact]
    public async Task Set_mode_switches_a_live_run_from_asp_to_ssp_and_logs_the_update_it_took_effect_at()
    {
        using var run = await StartRun(workers: 2, epochs: 60);

        var (code, output) = await SetMode("ssp:2");
        Assert.Equal(0, code);
        Assert.Matches(@"mode ssp:2 from update \d+", output);

        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Assert.Matches(@"mode changed to ssp:2 at update \d+", run.Output);
        Assert.Equal("ssp:2", (string?)Read("summary.json")["final_mode"]);
        var gaps = Read("staleness.json")["ssp_clock_gap_at_read"]!;
        Assert.True((long)gaps["total"]! > 0, "no read was made under SSP after the switch");
        Assert.InRange((long)gaps["max"]!, 0, 2);
        var modeLine = File.ReadAllLines(Path.Combine(RunFolder(), "metrics.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Single(m => (string?)m["type"] == "mode");
        Assert.Equal("ssp:2", (string?)modeLine["mode"]);
        Invariants.AssertHold(RunFolder(), 1, 2, 3);
    }

    [Fact]
    public async Task Set_mode_switches_a_live_run_to_diloco_rounds_and_back_to_asp_without_losing_a_micro_batch()
    {
        using var run = await StartRun(workers: 2, epochs: 40);

        var (code, output) = await SetMode("diloco:4");
        Assert.Equal(0, code);
        Assert.Matches(@"mode diloco:4 from update \d+", output);
        // Rounds of 4 micro-batches run for a while: one validation (every 200 updates) later, back to ASP.
        await run.WaitForOutput("validation at update", run.CountInOutput("validation at update") + 1, RunTimeout);
        Assert.Equal(0, (await SetMode("asp")).Code);

        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Assert.Matches(@"mode changed to diloco:4 at update \d+", run.Output);
        Assert.Matches(@"mode changed to asp at update \d+", run.Output);
        var summary = Read("summary.json");
        Assert.Equal("asp", (string?)summary["final_mode"]);
        Assert.Equal(40 * 128, summary["micro_batches_by_worker"]!.AsObject().Sum(w => (long)w.Value!));
        Assert.Equal(0, (long)summary["reissued_micro_batches"]!);
        Invariants.AssertHold(RunFolder(), 1, 2);
        Invariants.AssertHold(RunFolder(), 1, 2);
    }

    [Fact]
    public async Task Set_mode_bsp_takes_effect_at_a_step_boundary_of_a_live_run_and_logs_the_update_and_version_it_began_at()
    {
        using var run = await StartRun(workers: 2, epochs: 40);

        var (code, output) = await SetMode("bsp");

        Assert.Equal(0, code);
        Assert.Contains("switch to bsp accepted; it takes effect at a step boundary", output);
        var inForce = Regex.Match(output, @"mode bsp from update (\d+): steps from version (\d+) \(plan step \d+\)");
        Assert.True(inForce.Success, output);
        var (refused, refusal) = await SetMode("bsp");
        Assert.Equal((2, true), (refused, refusal.Contains("not changed: the job runs BSP already", StringComparison.Ordinal)));
        // BSP runs for a while (a validation every 200 updates, each a step now), then back to ASP at the next boundary.
        await run.WaitForOutput("validation at update", run.CountInOutput("validation at update") + 1, RunTimeout);
        Assert.Equal(0, (await SetMode("asp")).Code);

        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Assert.Contains($"mode changed to bsp at update {inForce.Groups[1]} (steps from version {inForce.Groups[2]})", run.Output);
        Assert.Matches(@"mode changed to asp at update \d+", run.Output);
        var summary = Read("summary.json");
        Assert.Equal("asp", (string?)summary["final_mode"]);
        Assert.Equal(40 * 128, summary["micro_batches_by_worker"]!.AsObject().Sum(w => (long)w.Value!));
        Assert.Equal(0, (long)summary["reissued_micro_batches"]!);
        Invariants.AssertHold(RunFolder(), 1, 2);
    }

    [Fact]
    public async Task A_worker_started_mid_run_gets_work_at_once_and_contributes_updates()
    {
        using var run = await StartRun(workers: 1, epochs: 40);
        var head = File.ReadAllText(Path.Combine(RunFolder(), "head.address")).Trim();

        using var late = ActorTrainProcess.Start(_directory, "node", "--roles", "worker", "--seed", head,
            "--config", Path.Combine(RunFolder(), "job.hocon"), "--worker-id", "late");
        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Assert.Equal(0, await late.ExitCode(TimeSpan.FromSeconds(60)));
        Assert.Contains("late: the job is over", late.Output);

        var byWorker = Read("summary.json")["micro_batches_by_worker"]!.AsObject();
        Assert.True((long)byWorker["late"]! > 0, $"the late worker committed nothing: {byWorker}");
        Assert.Equal(40 * 128, (long)byWorker["worker-1"]! + (long)byWorker["late"]!);
        Invariants.AssertHold(RunFolder(), 1, 2);
    }

    [Fact]
    public async Task A_worker_node_stopped_by_sigterm_hands_its_work_back_and_every_micro_batch_is_still_committed_once()
    {
        const int epochs = 300; // long enough to still be running when the second node has joined
        using var run = ActorTrainProcess.Start(_directory, "run", Job(workers: 1, epochs), "--runs-dir", "runs");
        await run.WaitForOutput("validation at update", RunTimeout);
        var head = File.ReadAllText(Path.Combine(RunFolder(), "head.address")).Trim();
        using var leaving = ActorTrainProcess.Start(_directory, "node", "--roles", "worker", "--seed", head,
            "--config", Path.Combine(RunFolder(), "job.hocon"), "--worker-id", "leaving");
        await leaving.WaitForOutput("leaving: a member of the cluster; running", TimeSpan.FromSeconds(60));

        leaving.Terminate();

        Assert.Equal(1, await leaving.ExitCode(TimeSpan.FromSeconds(60)));
        Assert.Matches(@"worker leaving: left the job; \d+ micro-batch\(es\) it held went back to the ledger", leaving.Output);
        // 38,400 updates: 2m53s alone on a loaded machine, over 3 min in a clean-clone CI; the bound is for a hang, not speed.
        Assert.Equal(0, await run.ExitCode(RunTimeout * 3));
        var summary = Read("summary.json");
        var byWorker = summary["micro_batches_by_worker"]!.AsObject();
        Assert.Equal(epochs * 128, byWorker.Sum(w => (long)w.Value!));
        Assert.Equal(epochs * 128, (long)summary["updates"]!);
        Invariants.AssertHold(RunFolder(), 1, 2);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
