using System.Diagnostics;
using System.Globalization;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// Bench (c): shard payload bytes moved through Akka.Remote against a raw TCP socket, between this process and a sink
/// process on 127.0.0.1, in both directions. push: <see cref="PushGradients"/> to the sink, each acked with
/// <see cref="GradientsApplied"/>; pull: <see cref="PullShard"/> to the sink, each answered with
/// <see cref="ShardWeights"/>. Both go through ActorTrain's serializer (checksum included) over the one association
/// the two processes share, with a window of messages in flight. Each measurement (<see cref="WireMeasurement"/>)
/// alternates slices of Akka.Remote and raw TCP in the same direction, so every ratio compares figures taken over the
/// same seconds of this shared machine, and the summary gives the median and range over rounds. CPU seconds per GB,
/// also measured, is what the transport costs whatever else runs on the machine; with every core busy it is what
/// bounds the throughput.
/// </summary>
public static class DataPlaneBench
{
    private const string Push = "push (PushGradients -> GradientsApplied)";
    private const string Pull = "pull (PullShard -> ShardWeights)";

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
                             $"({Size(options.BytesPerMeasurement)}; raw TCP {WireMeasurement.TcpBytesFactor}x that), {options.Window} in flight, " +
                             "to and from another process on 127.0.0.1" +
                             (options.AkkaOverrides.Count > 0 ? $", with {string.Join(", ", options.AkkaOverrides)}" : ""));
            // Warm-up, as long as one measurement: the association, the JIT's later tiers (slow on a busy machine), the heap.
            await akka.PushAsync(options.MessagesPerMeasurement, cancellation).ConfigureAwait(false);
            await akka.PullAsync(options.MessagesPerMeasurement, cancellation).ConfigureAwait(false);
            await RawTcpBaseline.MeasureAsync(port, true, options.BytesPerMeasurement, options.PayloadBytes, cancellation).ConfigureAwait(false);

            output.WriteLine($"  {"round",5}  {"direction",-40}  {"Akka.Remote MB/s",16}  {"raw TCP MB/s",12}  {"ratio",6}  " +
                             $"{"CPU s/GB Akka",13}  {"CPU s/GB TCP",12}  {"allocated/byte",14}");
            var results = new List<WireMeasurement>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var toSink in new[] { true, false })
                {
                    var m = await WireMeasurement.TakeAsync(akka, port, sink, toSink, options, cancellation).ConfigureAwait(false);
                    results.Add(m);
                    output.WriteLine($"  {round,5}  {(toSink ? Push : Pull),-40}  {m.AkkaMBps,16:0}  {m.TcpMBps,12:0}  {F(m.Ratio),6}  " +
                                     $"{m.AkkaCpuPerGB,13:F2}  {m.TcpCpuPerGB,12:F2}  {m.AllocatedPerByte,14:F2}");
                }
            }
            output.WriteLine("  (allocated/byte: bytes this process allocated per payload byte on the Akka.Remote path: as sender in push, as receiver in pull)");
            foreach (var group in results.GroupBy(r => r.ToSink))
            {
                var ratios = group.Select(r => r.Ratio).Order().ToList();
                var cpuRatios = group.Select(r => r.CpuRatio).Order().ToList();
                output.WriteLine($"{(group.Key ? "push" : "pull")}: Akka.Remote / raw TCP = {F(Median(ratios))} median ({F(ratios[0])}–{F(ratios[^1])} over {ratios.Count} rounds); " +
                                 $"Akka.Remote {Median([.. group.Select(r => r.AkkaMBps)]):0} MB/s, raw TCP {Median([.. group.Select(r => r.TcpMBps)]):0} MB/s (medians); " +
                                 $"CPU per GB: Akka.Remote {Median([.. group.Select(r => r.AkkaCpuPerGB)]):F2} s, raw TCP {Median([.. group.Select(r => r.TcpCpuPerGB)]):F2} s, " +
                                 $"raw TCP / Akka.Remote = {F(Median(cpuRatios))} ({F(cpuRatios[0])}–{F(cpuRatios[^1])})");
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
}
