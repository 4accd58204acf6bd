using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>
/// `actortrain run` without --in-process: this test's child is the head (coordinator, ps, evaluator), and
/// it starts worker processes that join it over Akka.Remote on 127.0.0.1.
/// </summary>
public sealed class MultiProcessRunTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-it-").FullName;

    private string Job(int epochs = 3) => Write("job.hocon", $$"""
        actortrain {
          job { name = it, seed = 3, epochs = {{epochs}}, workers = 2, shards = 2 }
          model { kind = mlp, hidden = [32] }
          data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
          training { micro-batch-size = 32, batch-size = 128 }
          optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.5 }
          evaluator { every-updates = 100 }
          run { progress-interval = 250ms }
        }
        """);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string RunFolder(string output) => Path.Combine(_directory,
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("run folder: ", StringComparison.Ordinal))["run folder: ".Length..]);

    private JsonObject Summary(string output) => JsonNode.Parse(File.ReadAllText(Path.Combine(RunFolder(output), "summary.json")))!.AsObject();

    [Fact]
    public async Task A_head_and_two_worker_processes_train_the_synthetic_task()
    {
        using var run = ActorTrainProcess.Start(_directory, "run", Job(), "--runs-dir", "runs");
        Assert.Equal(0, await run.ExitCode(RunTimeout));

        var accuracy = double.Parse(run.Output.Split('\n').Last(l => l.StartsWith("test accuracy: ", StringComparison.Ordinal))[15..],
            CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.85, $"test accuracy {accuracy}:\n{run.Output}");
        var summary = Summary(run.Output);
        Assert.Equal(2, (int)summary["workers"]!);
        Assert.Equal(3 * 128, (int)summary["updates"]!); // 4096 / 32 micro-batches per epoch, each an ASP update
        var folder = Path.GetDirectoryName(Directory.GetFiles(Path.Combine(_directory, "runs"), "summary.json", SearchOption.AllDirectories).Single())!;
        foreach (var worker in new[] { "worker-1", "worker-2" })
            Assert.Contains($"{worker}: the job is over", File.ReadAllText(Path.Combine(folder, $"{worker}.log")));
        Invariants.AssertHold(folder, 1, 2);
        // Every process of the run wrote its own history: the head (coordinator, shards) and each worker.
        var files = Directory.GetFiles(Path.Combine(folder, "history"), "*.jsonl").Select(Path.GetFileName).ToList();
        Assert.True(files.Count(f => f!.StartsWith("head-", StringComparison.Ordinal)) == 1 && files.Count(f => f!.StartsWith("worker-", StringComparison.Ordinal)) == 2,
            string.Join(", ", files));
    }

    [Fact]
    public async Task Bsp_gives_the_same_weights_in_process_and_across_processes_with_shards_on_two_ps_nodes()
    {
        var job = Job(epochs: 2);
        using var inProcess = ActorTrainProcess.Start(_directory, "run", job, "--mode", "bsp", "--in-process", "--runs-dir", "runs-a");
        Assert.Equal(0, await inProcess.ExitCode(RunTimeout));
        using var multiProcess = ActorTrainProcess.Start(_directory, "run", job, "--mode", "bsp", "--runs-dir", "runs-b",
            "--set", "actortrain.cluster.ps-nodes=2");
        Assert.Equal(0, await multiProcess.ExitCode(RunTimeout));

        var a = (string)Summary(inProcess.Output)["weights_sha256"]!;
        var summary = Summary(multiProcess.Output);
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.Equal(a, (string)summary["weights_sha256"]!);
        // Cluster Sharding placed the two shards on the two ps processes, one each.
        var nodes = summary["shard_nodes"]!.AsObject().Select(p => (string)p.Value!).ToList();
        Assert.Equal(2, nodes.Count);
        Assert.Equal(2, nodes.Distinct().Count());
        // The ps child process was given the head's store: the run's id and the run folder's state.db.
        var folder = RunFolder(multiProcess.Output);
        var pinned = File.ReadAllText(Path.Combine(folder, "job.hocon"));
        Assert.Contains($"actortrain.persistence.run-id = \"{Path.GetFileName(folder)}\"", pinned);
        Assert.Contains($"{Path.GetFileName(folder)}/state.db", pinned);
        Assert.True(File.Exists(Path.Combine(folder, "state.db")), "the run folder has no state.db");
        Invariants.AssertHold(RunFolder(inProcess.Output), 1, 2);
        Invariants.AssertHold(folder, 1, 2);
        Invariants.AssertBspWeightsEqual(folder, a);
    }

    /// <summary>
    /// One shard of 86 020 parameters (344 080 bytes as f32) against Akka's smallest frame (32 000 bytes): every push
    /// and every weights reply crosses the process boundary as 22 chunks of 16 KiB, and Akka.Remote would silently drop
    /// any of them sent whole. BSP's weights come out bit for bit those of the same job in one process, where each
    /// message fits in one chunk and goes whole.
    /// </summary>
    [Fact]
    public async Task A_shard_ten_times_larger_than_a_frame_travels_in_chunks_and_gives_the_weights_of_a_run_in_one_process()
    {
        var job = Job(epochs: 2);
        string[] bigShard = ["--mode", "bsp", "--shards", "1", "--set", "actortrain.model.hidden=[4096]"];
        string[] smallFrame = ["--set", "akka.remote.dot-netty.tcp.maximum-frame-size=32000", "--set", "actortrain.wire.chunk-size=16KiB"];
        using var inProcess = ActorTrainProcess.Start(_directory, ["run", job, .. bigShard, "--in-process", "--runs-dir", "runs-a"]);
        Assert.Equal(0, await inProcess.ExitCode(RunTimeout));
        using var multiProcess = ActorTrainProcess.Start(_directory, ["run", job, .. bigShard, .. smallFrame, "--runs-dir", "runs-b"]);
        Assert.Equal(0, await multiProcess.ExitCode(RunTimeout));

        Assert.Contains("(86,020 parameters)", multiProcess.Output);
        var summary = Summary(multiProcess.Output);
        Assert.Equal(2 * 32, (int)summary["updates"]!); // 4096 / 128 steps per epoch
        Assert.True((double)summary["test_accuracy"]! >= 0.85, $"test accuracy {summary["test_accuracy"]}:\n{multiProcess.Output}");
        Assert.Equal((string)Summary(inProcess.Output)["weights_sha256"]!, (string)summary["weights_sha256"]!);
        var logs = Directory.GetFiles(Path.Combine(_directory, "runs-b"), "worker-*.log", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.Equal(2, logs.Count);
        Assert.All(logs.Append(multiProcess.Output), log => Assert.DoesNotContain("oversized", log, StringComparison.OrdinalIgnoreCase));
        Invariants.AssertHold(RunFolder(inProcess.Output), 1, 2);
        Invariants.AssertHold(RunFolder(multiProcess.Output), 1, 2);
        Invariants.AssertBspWeightsEqual(RunFolder(multiProcess.Output), (string)Summary(inProcess.Output)["weights_sha256"]!);
    }

    [Fact]
    public async Task Worker_processes_stop_when_their_head_is_killed()
    {
        using var run = ActorTrainProcess.Start(_directory, "run", Job(epochs: 500), "--runs-dir", "runs");
        await run.WaitForOutput("validation at update", RunTimeout); // the workers have joined and trained
        var workers = ChildProcesses.Of(run.Id);
        Assert.Equal(2, workers.Count);

        run.Kill();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (workers.Any(ChildProcesses.IsRunning))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"worker processes {string.Join(", ", workers.Where(ChildProcesses.IsRunning))} still run 30 s after their head was killed");
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
