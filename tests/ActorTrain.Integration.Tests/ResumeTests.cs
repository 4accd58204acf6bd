using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>
/// `actortrain resume`: a BSP run stopped mid-run (its head killed with SIGKILL, or stopped with SIGTERM) and resumed from
/// its folder ends with bitwise the weights of the same job run without a stop.
/// </summary>
public sealed partial class ResumeTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-resume-").FullName;

    /// <summary>32 steps per epoch, a checkpoint every 16 steps: long enough to be stopped well before its end.</summary>
    private string Job()
    {
        var path = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(path, """
            actortrain {
              job { name = resume, seed = 11, epochs = 20, mode = bsp, workers = 2, shards = 2 }
              model { kind = mlp, hidden = [32] }
              data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
              training { micro-batch-size = 32, batch-size = 128 }
              optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.9 }
              evaluator { every-updates = 100 }
              persistence.checkpoint.every-updates = 16
            }
            """);
        return path;
    }

    private string RunFolder(string runs) => Directory.GetDirectories(Path.Combine(_directory, runs)).Single();

    private static string Weights(string folder) => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!["weights_sha256"]!;

    private async Task<string> Uninterrupted(string job)
    {
        using var run = ActorTrainProcess.Start(_directory, "run", job, "--in-process", "--runs-dir", "runs-straight");
        Assert.Equal(0, await run.ExitCode(RunTimeout));
        Invariants.AssertHold(RunFolder("runs-straight"), 1, 2, 5);
        return Weights(RunFolder("runs-straight"));
    }

    private async Task<(int Code, string Output)> Resume(string folder)
    {
        using var resume = ActorTrainProcess.Start(_directory, "resume", folder);
        var code = await resume.ExitCode(RunTimeout);
        return (code, resume.Output);
    }

    [Fact]
    public async Task A_bsp_run_across_processes_whose_head_is_killed_resumes_to_the_weights_of_an_uninterrupted_run()
    {
        var job = Job();
        var expected = await Uninterrupted(job);
        using var run = ActorTrainProcess.Start(_directory, "run", job, "--runs-dir", "runs");
        await run.WaitForOutput("checkpoint 2 at update 32 recorded", RunTimeout);
        var children = ChildProcesses.Of(run.Id);

        run.Kill();

        await run.ExitCode(TimeSpan.FromSeconds(30));
        await ChildrenGone(children);
        var folder = RunFolder("runs");
        Assert.False(File.Exists(Path.Combine(folder, "summary.json")), "the killed run wrote a summary: it was not stopped mid-run");
        var (code, output) = await Resume(folder);
        Assert.True(code == 0, output);
        var restored = Restored(output);
        Assert.True(restored.Id >= 2, output);
        Assert.Equal(16 * restored.Id, restored.Updates);
        Assert.Contains("head at ", output); // resumed across processes, as it ran
        Assert.Equal(expected, Weights(folder));
        // The killed session's history and the resumed one's, checked as one run: the rollback discards what it undid.
        Invariants.AssertHold(folder, 1, 2, 5);
        Invariants.AssertBspWeightsEqual(folder, expected);
    }

    [Fact]
    public async Task An_in_process_bsp_run_stopped_with_sigterm_resumes_in_process_to_the_weights_of_an_uninterrupted_run()
    {
        var job = Job();
        var expected = await Uninterrupted(job);
        using var run = ActorTrainProcess.Start(_directory, "run", job, "--in-process", "--runs-dir", "runs");
        await run.WaitForOutput("checkpoint 2 at update 32 recorded", RunTimeout);

        run.Terminate();

        Assert.Equal(130, await run.ExitCode(TimeSpan.FromSeconds(60)));
        var folder = RunFolder("runs");
        var (code, output) = await Resume(folder);
        Assert.True(code == 0, output);
        Assert.True(Restored(output).Id >= 2, output);
        Assert.DoesNotContain("head at ", output);
        Assert.Equal(expected, Weights(folder));
        Invariants.AssertHold(folder, 1, 2, 5);
        Invariants.AssertBspWeightsEqual(folder, expected);
    }

    [Fact]
    public async Task Resume_refuses_a_finished_run_and_a_folder_that_is_not_a_run()
    {
        var job = Job();
        await Uninterrupted(job);

        var (finished, output) = await Resume(RunFolder("runs-straight"));
        Assert.Equal(2, finished);
        Assert.Contains("holds a finished run (summary.json is written): there is nothing to resume", output);
        var (missing, missingOutput) = await Resume(Path.Combine(_directory, "no-such-run"));
        Assert.Equal(2, missing);
        Assert.Contains("does not exist", missingOutput);
    }

    private static (long Id, long Updates) Restored(string output)
    {
        var match = RestoredLine().Match(output);
        Assert.True(match.Success, $"no 'resumed from checkpoint' line in:\n{output}");
        return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"resumed from checkpoint (\d+) at update (\d+)")]
    private static partial Regex RestoredLine();

    /// <summary>
    /// The killed head's workers notice (their parent is gone), try to hand their work back to it for up to
    /// cluster.join-timeout, and leave: they are let finish before the resume, which would otherwise share the CPU with them.
    /// </summary>
    private static async Task ChildrenGone(IReadOnlyList<int> children)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (children.Any(ChildProcesses.IsRunning))
        {
            Assert.True(DateTime.UtcNow < deadline, $"processes {string.Join(", ", children.Where(ChildProcesses.IsRunning))} of the killed run still run");
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
