using ActorTrain.Chaos.Scenarios;
using ActorTrain.Core.Randomness;

namespace ActorTrain.Chaos.Faults;

/// <summary>
/// A message fault in force in one process: which messages it hits (types; from one peer node, when given) and with what
/// chance. Its coin is seeded, so one process sees the same sequence of hits and misses for the same order of messages.
/// </summary>
public sealed class MessageFaultRule(int id, FaultKind kind, double probability, IReadOnlySet<Type> types, string? peerAddress, TimeSpan delay,
    bool randomDelay, ulong seed)
{
    private readonly SplitMix64 _random = new(seed);
    private long _seen;
    private long _hit;

    public int Id => id;
    public FaultKind Kind => kind;

    public long Seen => Interlocked.Read(ref _seen);
    public long Hit => Interlocked.Read(ref _hit);

    /// <summary>Whether this rule hits <paramref name="message"/>, sent from <paramref name="senderAddress"/>; counts what it sees and hits.</summary>
    public bool Hits(object message, string? senderAddress)
    {
        if (types.Count > 0 && !types.Contains(message.GetType())) return false;
        if (peerAddress != null && senderAddress != peerAddress) return false;
        Interlocked.Increment(ref _seen);
        bool hit;
        lock (_random) hit = _random.NextSingle() < probability;
        if (hit) Interlocked.Increment(ref _hit);
        return hit;
    }

    /// <summary>How late a delayed message arrives: the fixed delay, or a seeded draw up to it.</summary>
    public TimeSpan NextDelay()
    {
        if (!randomDelay) return delay;
        lock (_random) return delay * _random.NextSingle();
    }

    /// <summary>A seeded draw in [0, bound), for where corruption flips a byte.</summary>
    public int Next(int bound)
    {
        lock (_random) return _random.NextInt(bound);
    }
}
