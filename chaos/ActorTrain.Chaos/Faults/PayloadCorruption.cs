using ActorTrain.Actors.Protocol;
using Akka.Actor;
using Akka.Serialization;

namespace ActorTrain.Chaos.Faults;

/// <summary>
/// The corrupt fault: a message carrying tensor bytes goes through ActorTrain's serializer, one byte of those bytes is
/// flipped, and it is read back, so the serializer's own checksum check meets what a damaged link delivers (the payload
/// comes out marked damaged). A flip the checksum would not see (it landed outside the payload) is not used: the fault
/// stands for damaged payload bytes only.
/// </summary>
internal static class PayloadCorruption
{
    /// <summary>The damaged copy of <paramref name="message"/>, or null when it carries no tensor bytes.</summary>
    public static object? Damage(ActorSystem system, object message, MessageFaultRule rule)
    {
        if (PayloadOf(message) is not { Length: > 0 } payload) return null;
        var serializer = system.Serialization.FindSerializerFor(message);
        var manifest = Serialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);
        var at = bytes.AsSpan().IndexOf(payload.Span[..Math.Min(32, payload.Length)]);
        if (at < 0) return null;
        bytes[at + rule.Next(payload.Length)] ^= 0x5A;
        var damaged = system.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        return IsDamaged(damaged) ? damaged : null;
    }

    private static ReadOnlyMemory<byte>? PayloadOf(object message) => message switch
    {
        PushGradients p => p.Gradient.Bytes,
        ShardWeights w => w.Weights.Bytes,
        PayloadChunk c => c.Bytes,
        _ => null,
    };

    private static bool IsDamaged(object message) => message switch
    {
        PushGradients p => p.Gradient.Damage != null,
        ShardWeights w => w.Weights.Damage != null,
        PayloadChunk c => c.Damage != null,
        _ => false,
    };
}
