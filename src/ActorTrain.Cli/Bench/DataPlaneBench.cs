using System.Diagnostics;
using System.Net.Sockets;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Codecs;
using Akka.Actor;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// Bench (c): shard payloads pushed through Akka.Remote (the real serializer, acks, a window of messages in
/// flight) against the same bytes written to a raw TCP socket, both from this process to a sink process on
/// 127.0.0.1, measured in the same run.
/// </summary>
public static class DataPlaneBench
{
    private const int PayloadBytes = 1 << 20;
    private const int Window = 8;

    public static async Task RunAsync(TextWriter output, long totalBytes, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(DataPlaneBench).Assembly.Location);
        start.ArgumentList.Add("bench-sink");
        using var sink = Process.Start(start)!;
        try
        {
            var line = (await sink.StandardOutput.ReadLineAsync(cancellation).ConfigureAwait(false))!.Split(' ');
            var akka = await AkkaRemoteAsync(line[0], totalBytes, cancellation).ConfigureAwait(false);
            var tcp = await RawTcpAsync(int.Parse(line[1], System.Globalization.CultureInfo.InvariantCulture), totalBytes, cancellation).ConfigureAwait(false);
            output.WriteLine($"data plane, {PayloadBytes >> 20} MiB payloads, {totalBytes >> 20} MiB one way to another process on 127.0.0.1:");
            output.WriteLine($"  Akka.Remote (serializer, acks, {Window} in flight): {akka:0} MB/s");
            output.WriteLine($"  raw TCP socket:                                {tcp:0} MB/s");
            output.WriteLine($"  ratio: {akka / tcp:F3}");
        }
        finally
        {
            if (!sink.HasExited) sink.Kill();
        }
    }

    private static async Task<double> AkkaRemoteAsync(string sinkAddress, long totalBytes, CancellationToken cancellation)
    {
        using var system = ClusterTransport.Create(ClusterConfig.RemoteOnly(), TlsSettings.Off); // the plain transport is what is measured
        var sink = await system.ActorSelection($"{sinkAddress}/user/{WireSink.ActorName}").ResolveOne(TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
        var payload = TensorPayload.Encode(new float[PayloadBytes / 4], PayloadEncoding.F32);
        var count = (int)(totalBytes / PayloadBytes);
        // Warm up the association and the serializer.
        await sink.Ask<GradientsApplied>(Push(payload, 0), TimeSpan.FromSeconds(10), cancellation).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var inFlight = new Queue<Task<GradientsApplied>>();
        for (var seq = 1; seq <= count; seq++)
        {
            if (inFlight.Count == Window) await inFlight.Dequeue().ConfigureAwait(false);
            inFlight.Enqueue(sink.Ask<GradientsApplied>(Push(payload, seq), TimeSpan.FromSeconds(30), cancellation));
        }
        while (inFlight.Count > 0) await inFlight.Dequeue().ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        await system.Terminate().ConfigureAwait(false);
        return (double)count * PayloadBytes / seconds / 1e6;
    }

    private static PushGradients Push(TensorPayload payload, long seq) => new(0, "bench", 1, seq + 1, 0, 0, 1, 1, 0, payload);

    private static async Task<double> RawTcpAsync(int port, long totalBytes, CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellation).ConfigureAwait(false);
        var stream = client.GetStream();
        var buffer = new byte[PayloadBytes];
        var count = (int)(totalBytes / PayloadBytes);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (i == count - 1) buffer[^1] = 0xFF; // end marker
            await stream.WriteAsync(buffer, cancellation).ConfigureAwait(false);
        }
        var ack = new byte[1];
        await stream.ReadExactlyAsync(ack, cancellation).ConfigureAwait(false);
        return (double)count * PayloadBytes / clock.Elapsed.TotalSeconds / 1e6;
    }
}
