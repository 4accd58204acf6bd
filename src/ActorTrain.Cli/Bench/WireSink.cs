using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;
using Akka.Actor;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// The far end of the data-plane bench, run as its own process (<c>actortrain bench-sink [--set akka.key=value]...</c>):
/// an actor that plays a parameter shard (acks every push, answers every pull with the weights of the last push), and
/// a raw TCP socket for the baseline. Prints "akka-address tcp-port" on one line once both listen.
/// </summary>
public static class WireSink
{
    public const string ActorName = "sink";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        var options = DataPlaneOptions.Default with { AkkaOverrides = [.. parsed.Sets] }; // HOCON lines, as the bench passes them
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var system = ClusterTransport.Create(options.RemoteConfig(), TlsSettings.Off); // the plain transport is what is measured
        system.ActorOf(Props.Create(() => new SinkShard()), ActorName);
        var address = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        output.WriteLine($"{address} {((IPEndPoint)listener.LocalEndpoint).Port}");
        output.Flush();
        try
        {
            await RawTcpBaseline.ServeAsync(listener, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The bench is over.
        }
        return 0;
    }

    /// <summary>Answers like a shard, without the arithmetic: only the transport is measured.</summary>
    private sealed class SinkShard : ReceiveActor
    {
        private TensorPayload _weights = TensorPayload.Encode([], Torch.Codecs.PayloadEncoding.F32);
        private long _version;

        public SinkShard()
        {
            Receive<PushGradients>(Handle);
            Receive<PullShard>(Handle);
        }

        private void Handle(PushGradients push)
        {
            if (push.Gradient.Damage is { } damage) throw new InvalidOperationException(damage);
            _weights = push.Gradient;
            _version++;
            Sender.Tell(new GradientsApplied(push.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, false));
        }

        private void Handle(PullShard pull) => Sender.Tell(new ShardWeights(pull.ShardId, _version, _weights, pull.PullId));
    }
}
