using Xunit;

namespace ActorTrain.Cli.Tests.Report;

/// <summary>
/// Two small in-process runs of the same synthetic job through the CLI, one ASP and one SSP(2), with history and
/// evaluations on: what the report and runs tests render and list. Each test writes its report to a folder of its own.
/// </summary>
public sealed class ReportedRuns : IAsyncLifetime
{
    private const string Job = """
        akka.loglevel = WARNING
        actortrain {
          job { name = report-test, epochs = 2, workers = 2, shards = 2, seed = 3 }
          model { hidden = [16] }
          data { task = synthetic, validation-size = 128, synthetic { train-size = 1024, test-size = 128, features = 8, classes = 3 } }
          training { micro-batch-size = 16, batch-size = 32 }
          optimizer { learning-rate = 0.05, momentum = 0.5, schedule = cosine }
          evaluator { every-updates = 16 }
          persistence.checkpoint { every-updates = 32 }
          run { progress-interval = 100ms }
          torch { threads = 1 }
        }
        """;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("actortrain-report-").FullName;

    public string Runs => Path.Combine(Directory, "runs");

    public string Asp { get; private set; } = "";
    public string Ssp { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var jobFile = Path.Combine(Directory, "job.hocon");
        await File.WriteAllTextAsync(jobFile, Job);
        Asp = await RunAsync(jobFile, "asp");
        Ssp = await RunAsync(jobFile, "ssp:2");
    }

    private async Task<string> RunAsync(string jobFile, string mode)
    {
        var before = System.IO.Directory.Exists(Runs) ? System.IO.Directory.GetDirectories(Runs) : [];
        var (code, _, error) = await Cli("run", jobFile, "--in-process", "--quiet", "--mode", mode, "--runs-dir", Runs);
        Assert.True(code == 0, $"the {mode} run failed: {error}");
        return System.IO.Directory.GetDirectories(Runs).Except(before).Single();
    }

    public static async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    public string NewFolder(string name)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
