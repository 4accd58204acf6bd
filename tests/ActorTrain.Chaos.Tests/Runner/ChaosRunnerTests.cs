using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Chaos.Tests.Runner;

/// <summary>The runner's own laws: replay from the seed, a real violation fails the run, and a bounded soak.</summary>
[Trait("Category", "Chaos")]
public sealed partial class ChaosRunnerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-chaos-runner-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Job(string mode, int epochs) => $$"""
        include "{{Path.Combine(Repository.Root, "hocon", "synthetic.hocon")}}"
        actortrain.job { name = replay, epochs = {{epochs}}, mode = {{mode}} }
        actortrain.evaluator.every-updates = 0
        actortrain.persistence.snapshot { every-updates = 20, every = 1s }
        """;

    [Fact]
    public async Task The_same_seed_gives_the_same_schedule_and_in_bsp_the_same_final_weights()
    {
        var scenario = Write("replay.hocon", Job("bsp", 24) + """
            chaos {
              seed = 21
              topology { processes = off, workers = 2 }
              faults = [
                { kind = crash-actor, target = shard-0, at-epoch = 2 }
                { kind = duplicate, messages = [PushGradients], probability = 0.2, at-epoch = 8, duration = 2s }
                { kind = corrupt, messages = [PushGradients, ShardWeights], probability = 0.1, at-epoch = 8, duration = 2s }
              ]
              expect { invariants = [1, 2, 5], time-bound = 4m }
            }
            """);

        var first = await ActorTrainCommand.RunAsync(Timeout, "chaos", scenario, "--dir", Path.Combine(_directory, "a"), "--quiet");
        var second = await ActorTrainCommand.RunAsync(Timeout, "chaos", scenario, "--dir", Path.Combine(_directory, "b"), "--quiet");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(Schedule(first.Output), Schedule(second.Output));
        Assert.Contains("crash-actor shard-0", Schedule(first.Output));
        Assert.Equal(WeightsHash(first.Output), WeightsHash(second.Output));
    }

    [Fact]
    public async Task A_real_violation_fails_the_run_with_a_non_zero_exit_and_names_the_invariant()
    {
        var scenario = Write("tampered.hocon", Job("asp", 40) + """
            chaos {
              seed = 22
              topology { processes = off, workers = 2 }
              faults = [ { kind = crash-actor, target = shard-1, at-epoch = 1 } ]
              expect { invariants = [1, 2], time-bound = 4m }
            }
            """);
        var output = new System.Text.StringBuilder();
        using var cancel = new CancellationTokenSource(Timeout);
        using var run = ActorTrainCommand.Start(["chaos", scenario, "--dir", _directory, "--quiet"], l =>
        {
            lock (output) output.AppendLine(l);
        });

        // While the job runs: one push a shard applied is recorded again, as a shard with a broken dedup would apply it twice.
        var forged = await ForgeDuplicateApplicationAsync(cancel.Token);
        await run.WaitForExitAsync(cancel.Token);
        run.WaitForExit();

        var text = output.ToString();
        Assert.True(run.ExitCode == 6, $"exit {run.ExitCode}, forged {forged}:\n{text}");
        Assert.Contains("invariant 1 (no push applied twice): VIOLATED", text);
        Assert.Contains("chaos tampered: FAILED", text);
    }

    /// <summary>
    /// The soak as CI runs it: 20 generated in-process scenarios from a fixed seed. It runs them all, prints a row each and
    /// a count line that adds up, keeps every generated file, and every one passes (each failure it found before was
    /// fixed: docs/fault-tolerance.md, What chaos found). Should one fail, its replayable copy and log are in the failures folder.
    /// </summary>
    [Fact]
    public async Task A_bounded_soak_of_20_in_process_scenarios_runs_them_all_and_every_one_passes()
    {
        var (exit, output) = await ActorTrainCommand.RunAsync(TimeSpan.FromMinutes(12), "chaos", "soak", "--count", "20", "--seed", "1",
            "--processes-share", "0", "--dir", _directory);

        var rows = output.Split('\n').Where(l => SoakRow().IsMatch(l)).ToList();
        Assert.True(rows.Count == 20, output);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain(rows, r => r.Contains(" FAIL ", StringComparison.Ordinal));
        Assert.Contains("soak: 20 scenario(s), 20 passed, 0 failed", output);
        var folder = Path.Combine(_directory, "soak-1");
        Assert.Equal(20, Directory.GetFiles(Path.Combine(folder, "scenarios"), "*.hocon").Length);
        Assert.DoesNotContain("replay: actortrain chaos ", output);
    }

    [GeneratedRegex(@"^  soak-1-\d{3} ")]
    private static partial Regex SoakRow();

    private async Task<string> ForgeDuplicateApplicationAsync(CancellationToken cancellation)
    {
        while (true)
        {
            await Task.Delay(200, cancellation);
            foreach (var file in Directory.EnumerateFiles(_directory, "*.jsonl", SearchOption.AllDirectories).Where(f => f.Contains("history", StringComparison.Ordinal)))
            {
                var applied = File.ReadLines(file).FirstOrDefault(l => l.Contains("\"type\":\"push-applied\"", StringComparison.Ordinal));
                if (applied is null) continue;
                var forged = Sequence().Replace(applied, "\"sequence\":999999999,", 1);
                File.AppendAllText(file, forged + "\n");
                return forged;
            }
        }
    }

    private static string Schedule(string output) =>
        string.Join("\n", output.Split('\n').SkipWhile(l => !l.StartsWith("schedule:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)));

    private static string WeightsHash(string output)
    {
        var line = output.Split('\n').Last(l => l.Contains("run folder ", StringComparison.Ordinal));
        var folder = line[(line.IndexOf("run folder ", StringComparison.Ordinal) + "run folder ".Length)..].Trim();
        return (string)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!["weights_sha256"]!;
    }

    [GeneratedRegex("\"sequence\":[0-9]+,")]
    private static partial Regex Sequence();
}
