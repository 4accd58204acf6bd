using System.Globalization;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Native;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain bench overhead</c>: ActorTrain's in-process 1-worker throughput against a plain TorchSharp
/// loop (same model, batch, optimizer and data path), both measured in this run, alternating, best of N.
/// </summary>
public static class BenchCommand
{
    public const string Usage = "actortrain bench overhead [--config job.hocon] [--epochs E] [--repeats R] [--set key=value]...";

    private static readonly HashSet<string> Valued = ["config", "epochs", "repeats"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        if (parsed.Positionals is not ["overhead"]) throw new UsageException($"usage: {Usage}");
        var overrides = new List<string>
        {
            "actortrain.job.workers = 1", "actortrain.job.shards = 1", "actortrain.job.mode = asp", "actortrain.evaluator.every-updates = 0",
            $"actortrain.job.epochs = {parsed.Int("epochs", 1) ?? 1}", "actortrain.run.progress-interval = 10s", "actortrain.job.name = bench-overhead",
        };
        overrides.AddRange(parsed.Sets.Select(s => s.Replace("=", " = ", StringComparison.Ordinal)));
        var config = JobConfig.FromFile(parsed.Value("config") ?? "hocon/fashion-mnist-mlp.hocon", overrides);
        var settings = ActorTrainSettings.Create(config);
        var repeats = parsed.Int("repeats", 1) ?? 2;
        var runsDirectory = Path.Combine(Path.GetTempPath(), "actortrain-bench");

        TorchRuntime.EnsureReady();
        var data = JobData.Load(settings);
        var initial = ModelInitializer.InitialWeights(data.Parameters, settings.Job.Seed);
        output.WriteLine($"bench overhead: {data.Model}, micro-batch {settings.Training.MicroBatchSize}, {settings.Optimizer.Kind}, " +
                         $"{settings.Job.Epochs} epoch(s) of {data.Splits.Train.Count} samples, torch threads {settings.Torch.EffectiveThreads}, best of {repeats}");
        double bestPlain = 0, bestActors = 0;
        for (var r = 0; r < repeats; r++)
        {
            var plain = await PlainTorchLoop.SamplesPerSecondAsync(settings, data.Splits.Train, data.Model, initial).ConfigureAwait(false);
            var (_, completed) = await RunCommand.TrainAsync(config, settings, runsDirectory, TextWriter.Null, cancellation).ConfigureAwait(false);
            var actors = completed.Samples / completed.TrainingSeconds;
            output.WriteLine($"  round {r + 1}: plain TorchSharp loop {plain,9:0} samples/s   ActorTrain in-process 1 worker {actors,9:0} samples/s   ratio {F(actors / plain)}");
            bestPlain = Math.Max(bestPlain, plain);
            bestActors = Math.Max(bestActors, actors);
        }
        output.WriteLine($"plain TorchSharp loop:            {bestPlain:0} samples/s");
        output.WriteLine($"ActorTrain in-process, 1 worker:  {bestActors:0} samples/s");
        output.WriteLine($"overhead ratio (ActorTrain / plain): {F(bestActors / bestPlain)}");
        return 0;
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
