using System.Diagnostics;
using System.Globalization;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Codecs;
using Akka.Actor;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// Bench (c): shard payload bytes moved through Akka.Remote against a raw TCP socket, between this process and a sink
/// process on 127.0.0.1, in both directions. push: <see cref="PushGradients"/> to the sink, each acked with
/// <see cref="GradientsApplied"/>; pull: <see cref="PullShard"/> to the sink, each answered with
/// <see cref="ShardWeights"/>. Both go through ActorTrain's serializer (checksum included) over the one association
/// the two processes share, with a window of messages in flight. Each round measures Akka.Remote and then raw TCP in
/// the same direction, so every ratio compares figures taken seconds apart on this shared machine.
/// </summary>
public static class DataPlaneBench
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(TextWriter output, DataPlaneOptions options, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(DataPlaneBench).Assembly.Location);
        start.ArgumentList.Add("bench-sink");
        foreach (var argument in options.SinkArguments()) start.ArgumentList.Add(argument);
        using var sink = Process.Start(start)!;
        try
        {
            var line = (await sink.StandardOutput.ReadLineAsync(cancellation).ConfigureAwait(false))?.Split(' ')
                       ?? throw new InvalidOperationException("the bench sink process exited before it listened");
            var port = int.Parse(line[1], CultureInfo.InvariantCulture);
            using var system = ClusterTransport.Create(options.RemoteConfig(), TlsSettings.Off); // the plain transport is what is measured
            var shard = await system.ActorSelection($"{line[0]}/user/{WireSink.ActorName}")
                .ResolveOne(TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
            var akka = new AkkaRemoteLink(shard, options);
            output.WriteLine($"data plane: {Size(options.PayloadBytes)} payloads, {options.MessagesPerMeasurement} per measurement " +
                             $"({Size(options.BytesPerMeasurement)}), {options.Window} in flight, to and from another process on 127.0.0.1" +
                             (options.AkkaOverrides.Count > 0 ? $", with {string.Join(", ", options.AkkaOverrides)}" : ""));
            // Warm-up: the association, the JIT's later tiers, the socket buffers.
            await akka.PushAsync(Math.Max(1, options.MessagesPerMeasurement / 8), cancellation).ConfigureAwait(false);
            await akka.PullAsync(Math.Max(1, options.MessagesPerMeasurement / 8), cancellation).ConfigureAwait(false);
            await RawTcpBaseline.MeasureAsync(port, true, options.BytesPerMeasurement / 8, options.PayloadBytes, cancellation).ConfigureAwait(false);

            output.WriteLine($"  {"round",5}  {"direction",-40}  {"Akka.Remote MB/s",16}  {"raw TCP MB/s",12}  {"ratio",6}");
            var results = new List<(string Direction, double Akka, double Tcp)>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var (direction, toSink) in new[] { ("push (PushGradients -> GradientsApplied)", true), ("pull (PullShard -> ShardWeights)", false) })
                {
                    var count = options.MessagesPerMeasurement;
                    var seconds = toSink ? await akka.PushAsync(count, cancellation).ConfigureAwait(false) : await akka.PullAsync(count, cancellation).ConfigureAwait(false);
                    var akkaRate = (double)count * options.PayloadBytes / seconds / 1e6;
                    var tcpRate = await RawTcpBaseline.MeasureAsync(port, toSink, (long)count * options.PayloadBytes, options.PayloadBytes, cancellation).ConfigureAwait(false);
                    results.Add((direction, akkaRate, tcpRate));
                    output.WriteLine($"  {round,5}  {direction,-40}  {akkaRate,16:0}  {tcpRate,12:0}  {F(akkaRate / tcpRate),6}");
                }
            }
            foreach (var group in results.GroupBy(r => r.Direction))
            {
                var ratios = group.Select(r => r.Akka / r.Tcp).Order().ToList();
                output.WriteLine($"{group.Key.Split(' ')[0]}: Akka.Remote / raw TCP = {F(Median(ratios))} median ({F(ratios[0])}–{F(ratios[^1])} over {ratios.Count} rounds); " +
                                 $"Akka.Remote {Median([.. group.Select(r => r.Akka)]):0} MB/s, raw TCP {Median([.. group.Select(r => r.Tcp)]):0} MB/s (medians)");
            }
            await system.Terminate().ConfigureAwait(false);
        }
        finally
        {
            if (!sink.HasExited) sink.Kill();
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Size(long bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes >> 10} KiB";

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>The Akka.Remote side: windowed asks to the sink shard, every reply checked.</summary>
    private sealed class AkkaRemoteLink(IActorRef shard, DataPlaneOptions options)
    {
        private readonly TensorPayload _gradient = RandomPayload(options.PayloadBytes);
        private long _seq;
        private long _pullId;

        /// <summary>Seconds to push <paramref name="count"/> payloads and have every one acked.</summary>
        public Task<double> PushAsync(int count, CancellationToken cancellation) =>
            WindowedAsync(count, () => shard.Ask<GradientsApplied>(
                new PushGradients(0, "bench", 1, ++_seq, 0, 0, 1, 1, 0, _gradient), ReplyTimeout, cancellation), cancellation);

        /// <summary>Seconds to pull <paramref name="count"/> payloads, each checked for its size and checksum.</summary>
        public Task<double> PullAsync(int count, CancellationToken cancellation) =>
            WindowedAsync(count, async () =>
            {
                var weights = await shard.Ask<ShardWeights>(new PullShard(0, 0, PullId: ++_pullId), ReplyTimeout, cancellation).ConfigureAwait(false);
                var problem = weights.Weights.Problem(_gradient.ElementCount);
                if (problem != null) throw new InvalidOperationException($"the bench sink sent bad weights: {problem}");
                return weights;
            }, cancellation);

        private async Task<double> WindowedAsync<T>(int count, Func<Task<T>> send, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var inFlight = new Queue<Task<T>>();
            for (var i = 0; i < count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                if (inFlight.Count == options.Window) await inFlight.Dequeue().ConfigureAwait(false);
                inFlight.Enqueue(send());
            }
            while (inFlight.Count > 0) await inFlight.Dequeue().ConfigureAwait(false);
            return clock.Elapsed.TotalSeconds;
        }

        private static TensorPayload RandomPayload(int bytes)
        {
            var random = new Random(7);
            var values = new float[bytes / sizeof(float)];
            for (var i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
            return TensorPayload.Encode(values, PayloadEncoding.F32);
        }
    }
}
