using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// The baseline of <c>bench wire</c>: the same number of payload bytes through a plain TCP socket between the same two
/// processes, in the same direction, with no framing, serialization or copies beyond the socket calls. One connection
/// per measurement; a 13-byte header says which way the bytes go (0: to the sink, 1: from it), how many, and in which
/// write size. The receiver counts every byte; the sink answers a send with one byte once it has read them all.
/// </summary>
public static class RawTcpBaseline
{
    private const int HeaderBytes = 13;

    /// <summary>Seconds to move <paramref name="totalBytes"/> from this process to the sink (<paramref name="toSink"/>) or back.</summary>
    public static async Task<double> MeasureAsync(int port, bool toSink, long totalBytes, int writeBytes, CancellationToken cancellation)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port, cancellation).ConfigureAwait(false);
        var stream = client.GetStream();
        var header = new byte[HeaderBytes];
        header[0] = toSink ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), totalBytes);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(9), writeBytes);
        var buffer = new byte[writeBytes];
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(header, cancellation).ConfigureAwait(false);
        if (toSink)
        {
            await WriteAllAsync(stream, buffer, totalBytes, cancellation).ConfigureAwait(false);
            await stream.ReadExactlyAsync(new byte[1], cancellation).ConfigureAwait(false);
        }
        else
        {
            await ReadAllAsync(stream, buffer, totalBytes, cancellation).ConfigureAwait(false);
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The sink's side: serves one measurement per connection until cancelled.</summary>
    public static async Task ServeAsync(TcpListener listener, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(cancellation).ConfigureAwait(false);
            client.NoDelay = true;
            var stream = client.GetStream();
            var header = new byte[HeaderBytes];
            await stream.ReadExactlyAsync(header, cancellation).ConfigureAwait(false);
            var total = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(1));
            var buffer = new byte[BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(9))];
            if (header[0] == 0)
            {
                await ReadAllAsync(stream, buffer, total, cancellation).ConfigureAwait(false);
                await stream.WriteAsync(new byte[] { 1 }, cancellation).ConfigureAwait(false);
            }
            else
            {
                await WriteAllAsync(stream, buffer, total, cancellation).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteAllAsync(NetworkStream stream, byte[] buffer, long total, CancellationToken cancellation)
    {
        for (var left = total; left > 0; left -= buffer.Length)
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellation).ConfigureAwait(false);
    }

    private static async Task ReadAllAsync(NetworkStream stream, byte[] buffer, long total, CancellationToken cancellation)
    {
        for (var left = total; left > 0;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellation).ConfigureAwait(false);
            if (read == 0) throw new IOException($"the raw TCP peer closed with {left} of {total} bytes unread");
            left -= read;
        }
    }
}
