using System.Globalization;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Bench;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Native;
using Akka.Configuration;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain bench [overhead|cluster|wire]</c>: ActorTrain's throughput against a plain TorchSharp loop (same model,
/// batch, optimizer and data path), every figure measured in this run. overhead: in-process, 1 worker, best of N,
/// alternating. cluster: multi-process runs (this process the head, workers as child processes) with 1 and 2
/// workers in f32 and bf16, with the wire bytes per training sample counted by the serializer. wire: shard payloads
/// through Akka.Remote against raw TCP, both ways, N rounds (<see cref="DataPlaneBench"/>).
/// </summary>
public static class BenchCommand
{
    public const string Usage = "actortrain bench [overhead|cluster|wire|checkpoint|recovery] [--config job.hocon] [--epochs E] [--repeats R] [--set key=value]...\n" +
                                "               wire: [--payload-kib K] [--window W] [--mib M per measurement]; --set akka.… goes to both of its processes\n" +
                                "               recovery: [--target A] (the validation accuracy of the goodput row, default 0.85)";

    private static readonly HashSet<string> Valued = ["config", "epochs", "repeats", "payload-kib", "window", "mib", "target"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        var which = parsed.Positionals switch
        {
            [] => "all",
            ["overhead" or "cluster" or "wire" or "checkpoint" or "recovery" or "all"] => parsed.Positionals[0],
            _ => throw new UsageException($"usage: {Usage}"),
        };
        var jobFile = parsed.Value("config") ?? "hocon/fashion-mnist-mlp.hocon";
        var overrides = new List<string>
        {
            "actortrain.job.mode = asp", "actortrain.evaluator.every-updates = 0", $"actortrain.job.epochs = {parsed.Int("epochs", 1) ?? 1}",
            "actortrain.run.progress-interval = 10s", "actortrain.job.name = bench",
        };
        overrides.AddRange(parsed.Sets.Select(s => s.Replace("=", " = ", StringComparison.Ordinal)));
        var wire = WireOptions(parsed);
        if (which == "wire")
        {
            await DataPlaneBench.RunAsync(output, wire, cancellation).ConfigureAwait(false);
            return 0;
        }
        if (which == "recovery")
        {
            var target = parsed.Value("target") is { } t ? double.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : 0.85;
            await RecoveryBench.RunAsync(jobFile, parsed.Int("epochs", 1) ?? 3, target, [.. parsed.Sets.Select(s => s.Replace("=", " = ", StringComparison.Ordinal))],
                output, cancellation).ConfigureAwait(false);
            return 0;
        }
        if (which == "checkpoint")
        {
            await CheckpointBench.RunAsync(jobFile, overrides, parsed.Int("repeats", 1) ?? 2, output, cancellation).ConfigureAwait(false);
            return 0;
        }
        var bench = new Bench(jobFile, overrides, parsed.Int("repeats", 1) ?? 2, output, cancellation);
        await bench.PrepareAsync().ConfigureAwait(false);
        if (which is "overhead" or "all") await bench.OverheadAsync().ConfigureAwait(false);
        if (which is "cluster" or "all") await bench.ClusterAsync().ConfigureAwait(false);
        if (which is "all") await DataPlaneBench.RunAsync(output, wire, cancellation).ConfigureAwait(false);
        return 0;
    }

    private static DataPlaneOptions WireOptions(CommandArguments parsed)
    {
        var defaults = DataPlaneOptions.Default;
        var payloadKib = parsed.Int("payload-kib", 1);
        if (payloadKib > 64 * 1024) throw new UsageException($"--payload-kib {payloadKib} is too large: at most 65536 (64 MiB)");
        return new DataPlaneOptions(
            payloadKib is { } kib ? kib << 10 : defaults.PayloadBytes,
            parsed.Int("window", 1) ?? defaults.Window,
            parsed.Int("mib", 1) is { } mib ? (long)mib << 20 : defaults.BytesPerMeasurement,
            parsed.Int("repeats", 1) ?? defaults.Rounds,
            [.. parsed.Sets.Where(s => s.StartsWith("akka.", StringComparison.Ordinal)).Select(s => s.Replace("=", " = ", StringComparison.Ordinal))]);
    }

    private sealed class Bench(string jobFile, List<string> overrides, int repeats, TextWriter output, CancellationToken cancellation)
    {
        private readonly string _runs = Path.Combine(Path.GetTempPath(), "actortrain-bench");
        private double _plain;

        private (Config Config, ActorTrainSettings Settings) Job(params string[] extra)
        {
            var config = JobConfig.FromFile(jobFile, [.. overrides, .. extra]);
            return (config, ActorTrainSettings.Create(config));
        }

        public async Task PrepareAsync()
        {
            var (_, settings) = Job("actortrain.job.workers = 1", "actortrain.job.shards = 1");
            TorchRuntime.EnsureReady();
            var data = JobData.Load(settings);
            var initial = ModelInitializer.InitialWeights(data.Parameters, settings.Job.Seed);
            output.WriteLine($"bench: {data.Model}, micro-batch {settings.Training.MicroBatchSize}, {settings.Optimizer.Kind}, " +
                             $"{settings.Job.Epochs} epoch(s) of {data.Splits.Train.Count} samples, torch threads {settings.Torch.EffectiveThreads}");
            for (var r = 0; r < repeats; r++)
                _plain = Math.Max(_plain, await PlainTorchLoop.SamplesPerSecondAsync(settings, data.Splits.Train, data.Model, initial).ConfigureAwait(false));
            output.WriteLine($"plain TorchSharp loop (baseline, best of {repeats}): {_plain:0} samples/s");
        }

        public async Task OverheadAsync()
        {
            var (config, settings) = Job("actortrain.job.workers = 1", "actortrain.job.shards = 1");
            var data = JobData.Load(settings);
            var initial = ModelInitializer.InitialWeights(data.Parameters, settings.Job.Seed);
            double best = 0, bestPlain = _plain;
            for (var r = 0; r < repeats; r++)
            {
                var plain = await PlainTorchLoop.SamplesPerSecondAsync(settings, data.Splits.Train, data.Model, initial).ConfigureAwait(false);
                var (_, completed) = await RunCommand.TrainAsync(config, settings, _runs, TextWriter.Null, cancellation).ConfigureAwait(false);
                var actors = completed.Samples / completed.TrainingSeconds;
                output.WriteLine($"  round {r + 1}: plain {plain,9:0} samples/s   in-process 1 worker {actors,9:0} samples/s   ratio {F(actors / plain)}");
                best = Math.Max(best, actors);
                bestPlain = Math.Max(bestPlain, plain);
            }
            _plain = bestPlain;
            output.WriteLine($"overhead: in-process, 1 worker, 1 shard: {best:0} samples/s = {F(best / _plain)} of the plain loop ({_plain:0})");
        }

        public async Task ClusterAsync()
        {
            output.WriteLine("multi-process (head + worker processes over Akka.Remote on 127.0.0.1), ASP, 2 shards:");
            output.WriteLine($"  {"workers",7}  {"encoding",8}  {"samples/s",10}  {"vs plain",8}  {"wire bytes/sample",17}");
            foreach (var workers in new[] { 1, 2 })
            {
                foreach (var encoding in new[] { "f32", "bf16" })
                {
                    var extra = new[] { $"actortrain.job.workers = {workers}", "actortrain.job.shards = 2", $"actortrain.wire.encoding = {encoding}" };
                    var (config, settings) = Job(extra);
                    var text = File.ReadAllText(jobFile) + "\n" + string.Join("\n", overrides.Concat(extra)) + "\n";
                    var before = ActorTrainSerializer.WireBytes;
                    var (_, completed) = await RunCommand.TrainAsync(config, settings, _runs, TextWriter.Null, cancellation, text).ConfigureAwait(false);
                    var after = ActorTrainSerializer.WireBytes;
                    var bytes = after.Written - before.Written + after.Read - before.Read;
                    var rate = completed.Samples / completed.TrainingSeconds;
                    output.WriteLine($"  {workers,7}  {encoding,8}  {rate,10:0}  {F(rate / _plain),8}  {(double)bytes / completed.Samples,17:0}");
                }
            }
        }
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
