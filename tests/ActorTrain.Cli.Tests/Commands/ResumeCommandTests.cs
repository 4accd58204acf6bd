using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Cli.Tests.Commands;

/// <summary>`actortrain resume` end to end, in this process, on the synthetic task.</summary>
public sealed class ResumeCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-cli-resume-").FullName;

    /// <summary>16 BSP steps per epoch, 30 epochs, a checkpoint every 16 steps.</summary>
    private string JobFile()
    {
        var path = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(path, """
            akka.loglevel = WARNING
            actortrain {
              job { name = resume-test, epochs = 30, workers = 2, shards = 2, mode = bsp }
              model { hidden = [16] }
              data { task = synthetic, validation-size = 128, synthetic { train-size = 512, test-size = 128, features = 8, classes = 3 } }
              training { micro-batch-size = 16, batch-size = 32 }
              optimizer { learning-rate = 0.05, momentum = 0.9 }
              evaluator { every-updates = 100 }
              torch { threads = 1 }
              persistence.checkpoint.every-updates = 16
            }
            """);
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static string Weights(string folder) => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!["weights_sha256"]!;

    [Fact]
    public async Task A_run_stopped_after_a_checkpoint_resumes_in_its_folder_to_the_weights_of_a_run_that_never_stopped()
    {
        var job = JobFile();
        var straight = Path.Combine(_directory, "straight");
        Assert.Equal(0, (await Cli("run", job, "--in-process", "--runs-dir", straight)).Code);
        var runs = Path.Combine(_directory, "runs");
        using var stop = new CancellationTokenSource();
        var stopping = new StopAtLine("checkpoint 2 at update 32 recorded", stop);

        var stopped = await Program.RunAsync(["run", job, "--in-process", "--runs-dir", runs], stopping, TextWriter.Null, stop.Token);

        Assert.Equal(130, stopped);
        var folder = Assert.Single(Directory.GetDirectories(runs));
        Assert.False(File.Exists(Path.Combine(folder, "summary.json")));
        var (code, output, error) = await Cli("resume", folder);
        Assert.True(code == 0, error);
        // From the run's state.db: checkpoint 2 or a later one, never the start.
        Assert.True(Regex.IsMatch(output, @"resumed from checkpoint ([2-9]|\d\d+) at update \d+"), $"resume's output:\n{output}\n{error}");
        Assert.Matches(@"test accuracy: [01]\.\d{4}\s*$", output);
        Assert.Equal(Weights(Assert.Single(Directory.GetDirectories(straight))), Weights(folder));
        var metrics = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(metrics, m => (string?)m["type"] == "checkpoint");
        Assert.Single(metrics, m => (string?)m["type"] == "resumed");
    }

    [Fact]
    public async Task Resume_refuses_a_finished_run_and_a_folder_without_a_job()
    {
        var runs = Path.Combine(_directory, "runs");
        Assert.Equal(0, (await Cli("run", JobFile(), "--in-process", "--runs-dir", runs, "--epochs", "1")).Code);
        var folder = Assert.Single(Directory.GetDirectories(runs));

        var (finished, _, finishedError) = await Cli("resume", folder);
        Assert.Equal(2, finished);
        Assert.Contains("holds a finished run (summary.json is written): there is nothing to resume.", finishedError);

        File.Delete(Path.Combine(folder, "summary.json"));
        File.Delete(Path.Combine(folder, "job.hocon"));
        var (noJob, _, noJobError) = await Cli("resume", folder);
        Assert.Equal(2, noJob);
        Assert.Contains("has no job.hocon", noJobError);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Output that cancels the run once a line holding <c>text</c> is written.</summary>
    private sealed class StopAtLine(string text, CancellationTokenSource stop) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(text, StringComparison.Ordinal) == true) stop.Cancel();
        }
    }
}
