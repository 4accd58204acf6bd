using System.Diagnostics;
using ActorTrain.Actors.Protocol;
using ActorTrain.Torch.Codecs;
using Akka.Actor;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// The Akka.Remote side of <c>bench wire</c>: windowed asks to the sink's shard actor. A push carries a payload of
/// seeded random floats and waits for its ack; a pull's reply is checked for its size and checksum.
/// </summary>
internal sealed class AkkaRemoteLink(IActorRef shard, DataPlaneOptions options)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

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
