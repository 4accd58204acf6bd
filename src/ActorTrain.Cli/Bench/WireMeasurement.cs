using System.Diagnostics;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// One measurement of <c>bench wire</c> in one direction: payload MB/s through Akka.Remote and through raw TCP, the CPU
/// seconds both processes spent per GB on each, and the bytes this process allocated per payload byte on the
/// Akka.Remote path (the sending side for a push, the receiving side for a pull): every allocation there is a fresh
/// array that is zeroed and then copied into, so it counts the copies.
/// </summary>
internal sealed record WireMeasurement(bool ToSink, double AkkaMBps, double TcpMBps, double AkkaCpuPerGB, double TcpCpuPerGB, double AllocatedPerByte)
{
    /// <summary>Akka.Remote and raw TCP take turns in this many slices, so that both see the same seconds of a shared machine.</summary>
    public const int Slices = 4;

    /// <summary>Raw TCP moves this many times the bytes of Akka.Remote, so that its slices last about as long.</summary>
    public const int TcpBytesFactor = 4;

    public double Ratio => AkkaMBps / TcpMBps;

    public double CpuRatio => TcpCpuPerGB / AkkaCpuPerGB;

    public static async Task<WireMeasurement> TakeAsync(
        AkkaRemoteLink akka, int tcpPort, Process sink, bool toSink, DataPlaneOptions options, CancellationToken cancellation)
    {
        var messages = Math.Max(1, options.MessagesPerMeasurement / Slices);
        var akkaBytes = (double)messages * options.PayloadBytes * Slices;
        var tcpBytes = akkaBytes * TcpBytesFactor;
        double akkaSeconds = 0, tcpSeconds = 0, akkaCpu = 0, tcpCpu = 0, allocated = 0;
        for (var slice = 0; slice < Slices; slice++)
        {
            var cpu = CpuSeconds(sink);
            var heap = GC.GetTotalAllocatedBytes(precise: true);
            akkaSeconds += toSink ? await akka.PushAsync(messages, cancellation).ConfigureAwait(false) : await akka.PullAsync(messages, cancellation).ConfigureAwait(false);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - heap;
            akkaCpu += CpuSeconds(sink) - cpu;
            cpu = CpuSeconds(sink);
            tcpSeconds += await RawTcpBaseline.MeasureAsync(tcpPort, toSink, (long)tcpBytes / Slices, options.PayloadBytes, cancellation).ConfigureAwait(false);
            tcpCpu += CpuSeconds(sink) - cpu;
        }
        return new WireMeasurement(toSink, akkaBytes / akkaSeconds / 1e6, tcpBytes / tcpSeconds / 1e6,
            akkaCpu / (akkaBytes / 1e9), tcpCpu / (tcpBytes / 1e9), allocated / akkaBytes);
    }

    /// <summary>CPU seconds this process and the sink have used so far.</summary>
    private static double CpuSeconds(Process sink)
    {
        sink.Refresh();
        return (Process.GetCurrentProcess().TotalProcessorTime + sink.TotalProcessorTime).TotalSeconds;
    }
}
