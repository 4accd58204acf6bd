using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>
/// DESIGN's fault table, "coordinator node dies": the head process (the `run` process itself, holding the coordinator
/// singleton, a ps shard region and the evaluator) is SIGKILLed mid-run while a standby coordinator node is a member
/// (<c>cluster.coordinator-nodes = 2</c>). The standby takes the singleton, replays the coordinator's journal, finishes
/// the job and writes the run folder's summary; the head's shards come back on the other ps node; nothing is left behind.
/// The job runs a reduce-on-plateau policy: the standby replays its decisions and goes on making the reference's.
/// </summary>
public sealed class HeadFailoverTests : IDisposable
{
    private const int Epochs = 10;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-failover-").FullName;
    private IReadOnlyList<int> _children = [];

    private string Job()
    {
        var path = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(path, $$"""
            actortrain {
              job { name = failover, seed = 11, epochs = {{Epochs}}, workers = 2, shards = 2, mode = bsp }
              model { kind = mlp, hidden = [64] }
              data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
              training { micro-batch-size = 32, batch-size = 128 }
              optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.5 }
              evaluator { every-updates = 50 }
              persistence.snapshot { every-updates = 20, every = 1s }
              policy.reduce-on-plateau { enabled = on, patience = 0, factor = 0.5, threshold = 0.2 }
            }
            """);
        return path;
    }

    private JsonObject Summary(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();

    private static long Number(JsonObject summary, string key) => long.Parse(summary[key]!.ToString(), CultureInfo.InvariantCulture);

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> expected)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"within {timeout}: {expected()}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_head_process_killed_mid_run_a_standby_takes_the_coordinator_over_and_finishes_every_micro_batch()
    {
        var job = Job();
        using var reference = ActorTrainProcess.Start(_directory, "run", job, "--in-process", "--runs-dir", "runs-reference");
        Assert.Equal(0, await reference.ExitCode(RunTimeout));
        var referenceFolder = Directory.GetDirectories(Path.Combine(_directory, "runs-reference")).Single();

        using var run = ActorTrainProcess.Start(_directory, "run", job, "--runs-dir", "runs",
            "--set", "actortrain.cluster.coordinator-nodes=2", "--set", "actortrain.cluster.ps-nodes=2");
        await run.WaitForOutput("validation at update", RunTimeout); // micro-batches are committed: the coordinator journaled them
        var children = _children = ChildProcesses.Of(run.Id);
        Assert.Equal(4, children.Count); // ps-1, coordinator-1, worker-1, worker-2
        var standby = ChildProcesses.With(run.Id, "--roles", "coordinator");
        var folder = Directory.GetDirectories(Path.Combine(_directory, "runs")).Single();
        var standbyLog = Path.Combine(folder, "coordinator-1.log");
        string Logs() => string.Concat(Directory.GetFiles(folder, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));

        run.Kill();

        await WaitUntil(() => !ChildProcesses.IsRunning(standby), RunTimeout, () => $"the standby to finish the job and exit; logs:\n{Logs()}");
        var log = File.ReadAllText(standbyLog);
        var recovered = Regex.Match(log, @"coordinator recovered at update (\d+)");
        Assert.True(recovered.Success, $"the standby's coordinator did not recover from the journal:\n{log}");
        Assert.True(long.Parse(recovered.Groups[1].Value, CultureInfo.InvariantCulture) > 0, recovered.Value);
        Assert.Contains("coordinator-1: finished the job the head started", log);
        Assert.Contains("test accuracy: ", log);

        var summary = Summary(folder);
        Assert.Equal(Epochs * 128 / 4, Number(summary, "updates")); // BSP: one update per step of 4 micro-batches
        Assert.Equal(Epochs * 128, summary["micro_batches_by_worker"]!.AsObject().Sum(w => (long)w.Value!));
        // The head's shard came back on the ps node, from its snapshot if it had taken one yet (from the start if not),
        // and the workers replayed their upstream backup to it.
        Assert.Matches(@"shard \d \(re\)started at version \d+; replaying [1-9]\d* push\(es\) from the upstream backup", Logs());
        // Bitwise the fault-free run's weights: the new coordinator hands out again the assignments the head had not yet
        // journaled, and a micro-batch computed again is computed on its step's weights exactly (PullShard.AtStep), so it
        // gives the gradient the first computation gave.
        Assert.Equal((string)Summary(referenceFolder)["weights_sha256"]!, (string)summary["weights_sha256"]!);
        Invariants.AssertHold(referenceFolder, 1, 2);
        Invariants.AssertHold(folder, 1, 2);
        Invariants.AssertBspWeightsEqual(folder, (string)Summary(referenceFolder)["weights_sha256"]!);
        // The learning rates: the same changes at the same updates. Each is printed by whichever coordinator made it;
        // one the head made and journaled in its last instant may have died with it unprinted (its effect is in the hash).
        var expected = RateChanges(referenceFolder);
        var made = RateChanges(folder);
        Assert.True(expected.Count >= 2, $"the policy changed the rate {expected.Count} time(s); the test needs at least 2");
        Assert.Subset(expected.ToHashSet(), made.ToHashSet());
        Assert.InRange(made.Count, expected.Count - 1, expected.Count);
        Assert.Equal(expected.Last(), made.Last());
        // What the journals hold, in summary.json: exactly the reference's changes.
        string Journaled(JsonObject run) => run["learning_rate_changes"]!.ToJsonString();
        Assert.Equal(Journaled(Summary(referenceFolder)), Journaled(summary));
        Assert.Matches(@"learning rate [0-9.e-]+ from update \d+ \(policy\)", log); // the standby went on deciding after the takeover

        await WaitUntil(() => !children.Any(ChildProcesses.IsRunning), ExitBound,
            () => $"every child of the killed head to exit; still running: {string.Join(", ", children.Where(ChildProcesses.IsRunning))}");
    }

    /// <summary>The run's learning-rate changes as metrics.jsonl records them: "update: rate".</summary>
    private static List<string> RateChanges(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Where(m => (string?)m["type"] == "learning-rate")
            .Select(m => $"{m["at_update"]}: {((double)m["learning_rate"]!).ToString("R", CultureInfo.InvariantCulture)}").Distinct()];

    public void Dispose()
    {
        // After a failure: the killed head's children are nobody's children now.
        foreach (var child in _children.Where(ChildProcesses.IsRunning)) ChildProcesses.Kill(child);
        Directory.Delete(_directory, recursive: true);
    }
}
