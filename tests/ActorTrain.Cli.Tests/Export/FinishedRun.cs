using System.Text.Json.Nodes;
using Xunit;

namespace ActorTrain.Cli.Tests.Export;

/// <summary>
/// One small asynchronous job run through the CLI in this process (3 shards, an MLP 5-12-6-4 on the synthetic task),
/// shared by the export tests, each of which works on its own copy of the run folder where it changes anything.
/// </summary>
public sealed class FinishedRun : IAsyncLifetime
{
    private const string Job = """
        akka.loglevel = WARNING
        actortrain {
          job { name = export-test, epochs = 1, workers = 2, shards = 3, mode = asp, seed = 9 }
          model { hidden = [12, 6] }
          data { task = synthetic, validation-size = 64, synthetic { train-size = 256, test-size = 64, features = 5, classes = 4 } }
          training { micro-batch-size = 16, batch-size = 32 }
          optimizer { learning-rate = 0.05, momentum = 0.5 }
          evaluator { every-updates = 8 }
          run { progress-interval = 200ms }
          torch { threads = 1 }
        }
        """;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("actortrain-export-").FullName;

    /// <summary>The run's folder, runs/export-test-&lt;stamp&gt;.</summary>
    public string Folder { get; private set; } = "";

    /// <summary>weights_sha256 from the run's summary.json: the final evaluation's hash of the weights the run ended with.</summary>
    public string WeightsSha256 { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var jobFile = Path.Combine(Directory, "job.hocon");
        await File.WriteAllTextAsync(jobFile, Job);
        var runs = Path.Combine(Directory, "runs");
        var (code, _, error) = await Actortrain("run", jobFile, "--in-process", "--quiet", "--runs-dir", runs);
        Assert.True(code == 0, $"the run failed: {error}");
        Folder = System.IO.Directory.GetDirectories(runs).Single();
        WeightsSha256 = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "summary.json")))!["weights_sha256"]!;
    }

    public static async Task<(int Code, string Output, string Error)> Actortrain(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A copy of the run folder (config.hocon, state.db and its WAL files) under <paramref name="name"/>, config edited by <paramref name="edit"/>.</summary>
    public string Copy(string name, Func<string, string>? edit = null)
    {
        var copy = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(copy);
        foreach (var file in System.IO.Directory.GetFiles(Folder))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var config = Path.Combine(copy, "config.hocon");
        if (edit != null) File.WriteAllText(config, edit(File.ReadAllText(config)));
        return copy;
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
