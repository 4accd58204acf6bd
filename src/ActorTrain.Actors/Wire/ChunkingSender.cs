using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Wire;
using Akka.Actor;

namespace ActorTrain.Actors.Wire;

/// <summary>
/// Where an actor sends its tensor-carrying messages: one whose payload fits in <see cref="WireSettings.ChunkSize"/>
/// goes as it is (the common case, at no extra cost); a larger one is serialized and sent as
/// <see cref="PayloadChunk"/>s that its receiver's <see cref="ChunkReceiver"/> puts back together.
/// </summary>
/// <param name="sender">Names this sender in the keys of the transfers it numbers itself (weights replies).</param>
/// <param name="incarnation">Tells this sender's transfers from those of an earlier instance with the same name.</param>
public sealed class ChunkingSender(int chunkSize, string sender, long incarnation)
{
    private long _transfers;

    /// <summary>A sender whose incarnation is the time it was made: a restarted actor's transfers never share a key with its predecessor's.</summary>
    public ChunkingSender(WireSettings wire, string sender) : this(wire.ChunkSize, sender, DateTime.UtcNow.Ticks)
    {
    }

    /// <summary>A push is keyed by its own (worker, incarnation, shard, seq): a resend has the same bytes and can fill an earlier send's holes.</summary>
    public void Send(IActorRef target, PushGradients push, IActorRef from) =>
        Send(target, push, push.Gradient, new ChunkKey(push.WorkerId, push.Incarnation, push.ShardId, push.Seq), from);

    /// <summary>Weights replies are keyed by a number this sender counts up: two replies never share a key.</summary>
    public void Send(IActorRef target, ShardWeights weights, IActorRef from) =>
        Send(target, weights, weights.Weights, new ChunkKey(sender, incarnation, weights.ShardId, ++_transfers), from);

    private void Send(IActorRef target, IWireMessage message, TensorPayload payload, ChunkKey key, IActorRef from)
    {
        if (payload.Bytes.Length <= chunkSize)
        {
            target.Tell(message, from);
            return;
        }
        foreach (var chunk in Cut(message, key, chunkSize)) target.Tell(chunk, from);
    }

    /// <summary>The chunks of <paramref name="message"/>, in order, each holding at most <paramref name="chunkSize"/> of its serialized bytes.</summary>
    public static IEnumerable<PayloadChunk> Cut(IWireMessage message, ChunkKey key, int chunkSize)
    {
        var bytes = ActorTrainSerializer.Serialize(message);
        var manifest = WireTypes.ManifestOf(message.GetType());
        var plan = ChunkPlan.For(bytes.Length, chunkSize);
        for (var i = 0; i < plan.Count; i++)
            yield return new PayloadChunk(key.ShardId, key.Sender, key.Incarnation, key.Seq, manifest, i, plan.Count, plan.TotalLength,
                bytes.AsMemory((int)plan.Offset(i), plan.Length(i)));
    }
}
