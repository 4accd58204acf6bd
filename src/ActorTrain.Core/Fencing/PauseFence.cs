namespace ActorTrain.Core.Fencing;

/// <summary>
/// Tells an actor that its process stood still for longer than <see cref="Limit"/> between two messages: frozen
/// (SIGSTOP), a long GC pause, a starved machine. A cluster node that stood still that long may have been downed, and the
/// actor's role taken over on another node (a shard by Cluster Sharding, the coordinator by its singleton), while the
/// messages queued for the old instance still wait in its mailbox. Applying them would make it a zombie: a push applied
/// twice, an assignment no ledger holds. The actor asks before each message, and a periodic tick keeps the gap short
/// while nothing else comes, so only a real pause exceeds the limit.
/// </summary>
/// <param name="limit">The shortest pause after which the node could have been replaced.</param>
public sealed class PauseFence(TimeSpan limit)
{
    private TimeSpan? _lastHandled;

    public TimeSpan Limit => limit;

    /// <summary>As a message is taken at <paramref name="now"/> (a monotonic clock): the pause, when it exceeds the limit.</summary>
    public TimeSpan? PauseBefore(TimeSpan now) =>
        _lastHandled is { } last && now - last > limit ? now - last : null;

    /// <summary>A message was handled by <paramref name="now"/>.</summary>
    public void Handled(TimeSpan now) => _lastHandled = now;
}
