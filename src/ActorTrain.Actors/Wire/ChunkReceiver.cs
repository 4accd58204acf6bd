using System.Runtime.Serialization;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Wire;
using Akka.Event;
using MessagePack;

namespace ActorTrain.Actors.Wire;

/// <summary>
/// The receiving side of <see cref="ChunkingSender"/>, one per receiving actor: collects <see cref="PayloadChunk"/>s
/// per key in a <see cref="ChunkAssembler"/> and hands back the whole message, deserialized, once its last chunk
/// arrives. A damaged chunk (bad checksum) or one that contradicts its message is not stored and is reported, so the
/// actor can ask for the message again at once; the message's own payload checksum is checked as ever when the
/// actor handles it. Every problem and every dropped incomplete message is logged here with its reason.
/// </summary>
public sealed class ChunkReceiver(WireSettings wire, ILoggingAdapter log, string owner, TimeProvider? time = null)
{
    private readonly ChunkAssembler _assembler = new(wire.MaxReassemblies, wire.ReassemblyTimeout);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Messages begun and not yet complete.</summary>
    public int Pending => _assembler.Pending;

    public ChunkReceipt Accept(PayloadChunk chunk)
    {
        var key = new ChunkKey(chunk.Sender, chunk.Incarnation, chunk.ShardId, chunk.Seq);
        if (chunk.Damage != null) return Problem($"chunk {chunk.Index} of {chunk.Count} of a {chunk.Manifest} ({key}): {chunk.Damage}");
        var arrival = _assembler.Add(key, chunk.Index, chunk.Count, chunk.TotalLength, chunk.Bytes.Span, _time.GetUtcNow().UtcDateTime);
        foreach (var dropped in arrival.Dropped)
            log.Warning("{0}: dropped the incomplete chunked message {1} (idle for {2} or over {3} pending); its sender resends or its receiver pulls again",
                owner, dropped, wire.ReassemblyTimeout, wire.MaxReassemblies);
        switch (arrival.Kind)
        {
            case ChunkArrivalKind.Rejected:
                return Problem($"a {chunk.Manifest}: {arrival.Problem}");
            case ChunkArrivalKind.Complete:
                try
                {
                    return new ChunkReceipt(ActorTrainSerializer.Deserialize(arrival.Whole, chunk.Manifest), null);
                }
                catch (Exception e) when (e is MessagePackSerializationException or ArgumentException or SerializationException)
                {
                    return Problem($"the {chunk.Count} chunks of a {chunk.Manifest} ({key}) do not make a message: {e.Message}");
                }
            default:
                return default;
        }
    }

    private ChunkReceipt Problem(string problem)
    {
        log.Warning("{0}: unusable chunk: {1}", owner, problem);
        return new ChunkReceipt(null, problem);
    }
}
