using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// The receiving end of the data-plane bench, run as its own process (`actortrain bench-sink`): an actor that acks
/// every push it receives over Akka.Remote, and a raw TCP socket that reads everything and answers one byte at the end.
/// </summary>
public static class WireSink
{
    public const string ActorName = "sink";

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellation)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var system = ClusterTransport.Create(ClusterConfig.RemoteOnly(), TlsSettings.Off); // the plain transport is what is measured
        system.ActorOf(Props.Create(() => new Acker()), ActorName);
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        output.WriteLine($"{address} {((IPEndPoint)listener.LocalEndpoint).Port}");
        output.Flush();

        using var client = await listener.AcceptTcpClientAsync(cancellation).ConfigureAwait(false);
        var stream = client.GetStream();
        var buffer = new byte[1 << 20];
        while (await stream.ReadAsync(buffer, cancellation).ConfigureAwait(false) is var n && n > 0)
        {
            if (buffer[n - 1] == 0xFF && n >= 1 && client.Available == 0) break; // the sender's end marker
        }
        await stream.WriteAsync(new byte[] { 1 }, cancellation).ConfigureAwait(false);
        return 0;
    }

    private sealed class Acker : ReceiveActor
    {
        public Acker() => Receive<PushGradients>(p => Sender.Tell(new GradientsApplied(p.ShardId, p.WorkerId, p.Incarnation, p.Seq, p.Seq, false)));
    }
}
