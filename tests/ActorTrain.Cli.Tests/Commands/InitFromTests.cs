using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Export;
using ActorTrain.Core.Parameters;
using System.Text.Json.Nodes;
using Xunit;
using static ActorTrain.Cli.Tests.Export.FinishedRun;

namespace ActorTrain.Cli.Tests.Commands;

/// <summary>
/// Issue 10 item 6: <c>run --init-from</c> starts a job from trained weights (a run folder, one of its checkpoints, or a
/// safetensors file), checked against the job's model. A run at learning rate 0 changes nothing, so it must end with
/// exactly the weights it started from: the source's.
/// </summary>
public sealed class InitFromTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-init-").FullName;

    private string Job(string name, double rate, string hidden = "[12, 6]", string extra = "")
    {
        var path = Path.Combine(_directory, $"{name}.hocon");
        File.WriteAllText(path, $$"""
            akka.loglevel = WARNING
            actortrain {
              job { name = {{name}}, epochs = 2, workers = 2, shards = 2, mode = bsp, seed = 9 }
              model { hidden = {{hidden}} }
              data { task = synthetic, validation-size = 64, synthetic { train-size = 256, test-size = 64, features = 5, classes = 4 } }
              training { micro-batch-size = 16, batch-size = 32 }
              optimizer { learning-rate = {{rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, momentum = 0.5 }
              evaluator { every-updates = 8 }
              torch { threads = 1 }
              {{extra}}
            }
            """);
        return path;
    }

    private async Task<(int Code, string Output, string Error, string Folder)> Run(string job, params string[] more)
    {
        var runs = Path.Combine(_directory, "runs-" + Path.GetFileNameWithoutExtension(job) + "-" + Guid.NewGuid().ToString("N")[..6]);
        var (code, output, error) = await Actortrain(["run", job, "--in-process", "--runs-dir", runs, .. more]);
        var folder = Directory.Exists(runs) ? Directory.GetDirectories(runs).SingleOrDefault() ?? "" : "";
        return (code, output, error, folder);
    }

    private static string Hash(string folder) => (string)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!["weights_sha256"]!;

    [Fact]
    public async Task A_run_at_rate_0_started_from_a_run_folder_a_checkpoint_or_a_safetensors_file_ends_with_those_weights()
    {
        var trained = await Run(Job("pretrain", 0.05, extra: "persistence.checkpoint.every-updates = 4"));
        Assert.True(trained.Code == 0, trained.Error);

        var fromRun = await Run(Job("finetune", 0), "--init-from", trained.Folder);
        Assert.True(fromRun.Code == 0, fromRun.Error);
        Assert.Contains($"starting from the weights of {trained.Folder} (the newest snapshots, mlp 5-12-6-4, sha256 {Hash(trained.Folder)})", fromRun.Output);
        Assert.Equal(Hash(trained.Folder), Hash(fromRun.Folder));
        // The copy lives in the new run's folder, named by its job file, so its other processes and a resume read it too.
        Assert.True(File.Exists(Path.Combine(fromRun.Folder, "init.safetensors")));
        Assert.Contains("init.safetensors", File.ReadAllText(Path.Combine(fromRun.Folder, "job.hocon")));

        var fromCheckpoint = await Run(Job("finetune", 0), "--init-from", Path.Combine(trained.Folder, "last"));
        Assert.True(fromCheckpoint.Code == 0, fromCheckpoint.Error);
        Assert.Matches(@"starting from the weights of .+ \(checkpoint \d+, mlp 5-12-6-4, sha256 [0-9a-f]{64}\)", fromCheckpoint.Output);
        Assert.NotEqual(Hash(trained.Folder), Hash(fromCheckpoint.Folder)); // the last checkpoint comes before the end

        var exported = Path.Combine(_directory, "pretrained.safetensors");
        var export = await Actortrain("export", trained.Folder, "--format", "safetensors", "--output", exported);
        Assert.True(export.Code == 0, export.Error);
        var fromFile = await Run(Job("finetune", 0), "--init-from", exported);
        Assert.True(fromFile.Code == 0, fromFile.Error);
        Assert.Contains($"starting from the weights in {exported}", fromFile.Output);
        Assert.Equal(Hash(trained.Folder), Hash(fromFile.Folder));
    }

    [Fact]
    public async Task Weights_of_another_model_or_a_missing_source_are_refused_with_what_does_not_fit()
    {
        var trained = await Run(Job("pretrain", 0.05));
        Assert.True(trained.Code == 0, trained.Error);

        var wider = await Run(Job("wider", 0.05, hidden: "[13, 6]"), "--init-from", trained.Folder);
        Assert.Equal(2, wider.Code);
        Assert.Contains("cannot be read as this model's weights: tensor fc1.weight is [12,5], the model's is [13,5]", wider.Error);
        Assert.Equal("", wider.Folder); // refused before anything ran: no run folder is left

        var missing = await Run(Job("finetune", 0.05), "--init-from", Path.Combine(_directory, "nothing-here"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("no such file or run folder", missing.Error);
    }

    [Fact]
    public async Task Frozen_layers_of_a_run_started_from_trained_weights_stay_bitwise_as_they_started_and_an_unknown_one_is_refused()
    {
        var trained = await Run(Job("pretrain", 0.05));
        Assert.True(trained.Code == 0, trained.Error);
        var job = Job("finetune", 0.05, extra: "run.freeze = [fc1]");
        var tuned = await Run(job, "--init-from", trained.Folder);
        Assert.True(tuned.Code == 0, tuned.Error);

        var before = await Weights(trained.Folder, job);
        var after = await Weights(tuned.Folder, job);
        foreach (var tensor in Layout(job).Tensors)
        {
            var same = before.AsSpan(tensor.Offset, tensor.Length).SequenceEqual(after.AsSpan(tensor.Offset, tensor.Length));
            Assert.True(tensor.Name.StartsWith("fc1.", StringComparison.Ordinal) == same,
                $"{tensor.Name} is {(same ? "unchanged" : "changed")} after fine-tuning with fc1 frozen");
        }

        var unknown = await Run(Job("typo", 0.05, extra: "run.freeze = [fc9]"), "--init-from", trained.Folder);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("actortrain.run.freeze: no parameter is named 'fc9' (or starts with it and a dot); the model's are fc1.weight, fc1.bias", unknown.Error);
        Assert.Equal("", unknown.Folder);
    }

    /// <summary>A run's final weights, as <c>export --format safetensors</c> writes them, read back flat in the model's layout.</summary>
    private async Task<float[]> Weights(string folder, string job)
    {
        var file = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".safetensors");
        var export = await Actortrain("export", folder, "--format", "safetensors", "--output", file);
        Assert.True(export.Code == 0, export.Error);
        using var stream = File.OpenRead(file);
        return SafetensorsReader.Read(stream, Layout(job), file);
    }

    private static ParameterLayout Layout(string job) => JobModel.Of(ActorTrainSettings.Create(JobConfig.FromFile(job))).Parameters;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
