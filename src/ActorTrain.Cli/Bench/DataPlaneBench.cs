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
/// the two processes share, with a window of messages in flight. Each measurement alternates slices of Akka.Remote and
/// raw TCP in the same direction, so every ratio compares figures taken over the same seconds of this shared machine,
/// and the summary gives the median and range over rounds. Each measurement also
/// counts the CPU time both processes spent on it: CPU seconds per GB moved is what the transport costs whatever else
/// runs on the machine, and with every core busy it is what bounds the throughput.
/// </summary>
public static class DataPlaneBench
{
    private const int Slices = 4;
    private const int TcpBytesFactor = 4;
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
                             $"({Size(options.BytesPerMeasurement)}; raw TCP {TcpBytesFactor}x that), {options.Window} in flight, to and from another process on 127.0.0.1" +
                             (options.AkkaOverrides.Count > 0 ? $", with {string.Join(", ", options.AkkaOverrides)}" : ""));
            // Warm-up, as long as one measurement: the association, the JIT's later tiers (slow on a busy machine), the heap.
            await akka.PushAsync(options.MessagesPerMeasurement, cancellation).ConfigureAwait(false);
            await akka.PullAsync(options.MessagesPerMeasurement, cancellation).ConfigureAwait(false);
            await RawTcpBaseline.MeasureAsync(port, true, options.BytesPerMeasurement, options.PayloadBytes, cancellation).ConfigureAwait(false);

            output.WriteLine($"  {"round",5}  {"direction",-40}  {"Akka.Remote MB/s",16}  {"raw TCP MB/s",12}  {"ratio",6}  {"CPU s/GB Akka",13}  {"CPU s/GB TCP",12}");
            var results = new List<(string Direction, double Akka, double Tcp, double AkkaCpu, double TcpCpu)>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var (direction, toSink) in new[] { ("push (PushGradients -> GradientsApplied)", true), ("pull (PullShard -> ShardWeights)", false) })
                {
                    var (akkaRate, tcpRate, akkaCpu, tcpCpu) = await MeasureAsync(akka, port, sink, toSink, options, cancellation).ConfigureAwait(false);
                    results.Add((direction, akkaRate, tcpRate, akkaCpu, tcpCpu));
                    output.WriteLine($"  {round,5}  {direction,-40}  {akkaRate,16:0}  {tcpRate,12:0}  {F(akkaRate / tcpRate),6}  {akkaCpu,13:F2}  {tcpCpu,12:F2}");
                }
            }
            foreach (var group in results.GroupBy(r => r.Direction))
            {
                var ratios = group.Select(r => r.Akka / r.Tcp).Order().ToList();
                var cpuRatios = group.Select(r => r.TcpCpu / r.AkkaCpu).Order().ToList();
                output.WriteLine($"{group.Key.Split(' ')[0]}: Akka.Remote / raw TCP = {F(Median(ratios))} median ({F(ratios[0])}–{F(ratios[^1])} over {ratios.Count} rounds); " +
                                 $"Akka.Remote {Median([.. group.Select(r => r.Akka)]):0} MB/s, raw TCP {Median([.. group.Select(r => r.Tcp)]):0} MB/s (medians); " +
                                 $"CPU per GB: Akka.Remote {Median([.. group.Select(r => r.AkkaCpu)]):F2} s, raw TCP {Median([.. group.Select(r => r.TcpCpu)]):F2} s, " +
                                 $"raw TCP / Akka.Remote = {F(Median(cpuRatios))} ({F(cpuRatios[0])}–{F(cpuRatios[^1])})");
            }
            await system.Terminate().ConfigureAwait(false);
        }
        finally
        {
            if (!sink.HasExited) sink.Kill();
        }
    }

    /// <summary>
    /// One measurement in one direction: <see cref="Slices"/> slices of Akka.Remote, each followed by a slice of raw TCP,
    /// so that both see the same minutes of this shared machine. Raw TCP moves <see cref="TcpBytesFactor"/> times the
    /// bytes of Akka.Remote so that its slices last about as long. Returns MB/s of each and CPU seconds per GB of each.
    /// </summary>
    private static async Task<(double Akka, double Tcp, double AkkaCpu, double TcpCpu)> MeasureAsync(
        AkkaRemoteLink akka, int port, Process sink, bool toSink, DataPlaneOptions options, CancellationToken cancellation)
    {
        var messages = Math.Max(1, options.MessagesPerMeasurement / Slices);
        var akkaBytes = (double)messages * options.PayloadBytes * Slices;
        var tcpBytes = akkaBytes * TcpBytesFactor;
        double akkaSeconds = 0, tcpSeconds = 0, akkaCpu = 0, tcpCpu = 0;
        for (var slice = 0; slice < Slices; slice++)
        {
            var cpu = CpuSeconds(sink);
            akkaSeconds += toSink ? await akka.PushAsync(messages, cancellation).ConfigureAwait(false) : await akka.PullAsync(messages, cancellation).ConfigureAwait(false);
            akkaCpu += CpuSeconds(sink) - cpu;
            cpu = CpuSeconds(sink);
            tcpSeconds += await RawTcpBaseline.MeasureAsync(port, toSink, (long)tcpBytes / Slices, options.PayloadBytes, cancellation).ConfigureAwait(false);
            tcpCpu += CpuSeconds(sink) - cpu;
        }
        return (akkaBytes / akkaSeconds / 1e6, tcpBytes / tcpSeconds / 1e6, akkaCpu / (akkaBytes / 1e9), tcpCpu / (tcpBytes / 1e9));
    }

    /// <summary>CPU seconds this process and the sink have used so far.</summary>
    private static double CpuSeconds(Process sink)
    {
        sink.Refresh();
        return (Process.GetCurrentProcess().TotalProcessorTime + sink.TotalProcessorTime).TotalSeconds;
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
