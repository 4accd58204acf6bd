using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>
/// Real processes killed with SIGKILL mid-run (DESIGN's fault table): a worker process, and a ps process holding
/// parameter shards. The run must finish with nothing lost and, under BSP, bitwise the weights of a run without faults.
/// </summary>
public sealed class ProcessFaultTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-faults-").FullName;

    private string Job(string mode, int epochs) => Write("job.hocon", $$"""
        actortrain {
          job { name = faults, seed = 11, epochs = {{epochs}}, workers = 2, shards = 2, mode = {{mode}} }
          model { kind = mlp, hidden = [64] }
          data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
          training { micro-batch-size = 32, batch-size = 128 }
          optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.5 }
          evaluator { every-updates = 50 }
          persistence.snapshot { every-updates = 20, every = 1s }
        }
        """);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string RunFolder(string output) =>
        Path.Combine(_directory, output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("run folder: ", StringComparison.Ordinal))["run folder: ".Length..]);

    private JsonObject Summary(string output) => JsonNode.Parse(File.ReadAllText(Path.Combine(RunFolder(output), "summary.json")))!.AsObject();

    private static long Number(JsonObject summary, string key) => long.Parse(summary[key]!.ToString(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_worker_process_killed_mid_epoch_has_its_micro_batches_reissued_and_the_run_commits_every_one()
    {
        const int epochs = 60;
        using var run = ActorTrainProcess.Start(_directory, "run", Job("asp", epochs), "--runs-dir", "runs");
        await run.WaitForOutput("validation at update", RunTimeout);
        var victim = ChildProcesses.With(run.Id, "--worker-id", "worker-1");

        ChildProcesses.Kill(victim);

        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Assert.Contains("test accuracy: ", run.Output);
        var summary = Summary(run.Output);
        Assert.Equal(epochs * 128, Number(summary, "updates"));
        Assert.True(Number(summary, "reissued_micro_batches") > 0, $"nothing the killed worker held was re-issued: {summary}");
        var byWorker = summary["micro_batches_by_worker"]!.AsObject();
        Assert.Equal(epochs * 128, byWorker.Sum(w => (long)w.Value!));
        // The killed worker's last second of history is lost with it: fewer acks to check, never a false violation.
        Invariants.AssertHold(RunFolder(run.Output), 1, 2);
    }

    [Fact]
    public async Task A_ps_process_killed_mid_run_loses_no_update_bsp_weights_equal_the_fault_free_run()
    {
        const int epochs = 30;
        var job = Job("bsp", epochs);
        using var reference = ActorTrainProcess.Start(_directory, "run", job, "--in-process", "--runs-dir", "runs-reference");
        Assert.Equal(0, await reference.ExitCode(RunTimeout));

        using var run = ActorTrainProcess.Start(_directory, "run", job, "--runs-dir", "runs", "--set", "actortrain.cluster.ps-nodes=2");
        await run.WaitForOutput("validation at update", RunTimeout);
        var psNode = ChildProcesses.With(run.Id, "--roles", "ps");

        ChildProcesses.Kill(psNode);

        Assert.Equal(0, await run.ExitCode(RunTimeout));
        var summary = Summary(run.Output);
        Assert.Equal(epochs * 128 / 4, Number(summary, "updates")); // BSP: one update per step of 4 micro-batches
        // The killed node's shard was re-created on another ps node (the head, or the restarted ps process) from its
        // snapshot, and the workers replayed what it had applied since. Nothing lost, nothing applied twice: the same bits.
        var folder = Path.Combine(_directory, "runs", Path.GetFileName(Directory.GetDirectories(Path.Combine(_directory, "runs")).Single()));
        var logs = run.Output + string.Concat(Directory.GetFiles(folder, "*.log").Select(File.ReadAllText));
        Assert.Matches(@"shard \d recovered at version \d+ from its snapshot", logs);
        Assert.Matches(@"replaying \d+ push\(es\) from the upstream backup", logs);
        Assert.Equal((string)Summary(reference.Output)["weights_sha256"]!, (string)summary["weights_sha256"]!);
        Invariants.AssertHold(RunFolder(reference.Output), 1, 2, 5);
        // The killed ps node flushed its history before each snapshot: what the restore kept is on disk, the rest was replayed.
        Invariants.AssertHold(folder, 1, 2, 5);
        Invariants.AssertBspWeightsEqual(folder, (string)Summary(reference.Output)["weights_sha256"]!);
        Assert.Contains(Invariants.History(folder), e => e is ActorTrain.Core.History.ShardRestored { Version: > 0 });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
