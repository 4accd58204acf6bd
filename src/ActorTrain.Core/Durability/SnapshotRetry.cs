namespace ActorTrain.Core.Durability;

/// <summary>
/// How long a parameter shard waits before it tries a snapshot again after writes that failed in a row (the store is
/// down or refuses): <see cref="MinBackoff"/> after the first failure, twice as long after each further one, never more
/// than <see cref="MaxBackoff"/>, nor than the snapshot interval when there is one (a retry never waits longer than the
/// next regular snapshot would have). Without it a shard whose snapshot is overdue would try on every update.
/// </summary>
public sealed record SnapshotRetry(TimeSpan MinBackoff, TimeSpan MaxBackoff)
{
    public static readonly SnapshotRetry Default = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    /// <summary>The wait after <paramref name="failuresInARow"/> (1 or more) failed writes, for a snapshot interval of <paramref name="every"/> (0: none).</summary>
    public TimeSpan Delay(int failuresInARow, TimeSpan every)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresInARow, 1);
        var cap = every > TimeSpan.Zero && every < MaxBackoff ? every : MaxBackoff;
        // 2^k overflows long ticks near k = 63: past 40 doublings the cap has long been reached.
        var doubled = MinBackoff.Ticks * Math.Pow(2, Math.Min(failuresInARow - 1, 40));
        return doubled >= cap.Ticks ? cap : TimeSpan.FromTicks((long)doubled);
    }

    /// <summary>Whether a snapshot that is otherwise due may be tried now, after failures, and why (or why not).</summary>
    public (bool Due, string Reason) Decide(int failuresInARow, DateTimeOffset lastFailureAt, DateTimeOffset now, TimeSpan every)
    {
        if (failuresInARow == 0) return (true, "no failed snapshot to wait after");
        var delay = Delay(failuresInARow, every);
        return now - lastFailureAt >= delay
            ? (true, $"retry after {failuresInARow} failed snapshot(s), {delay.TotalSeconds:0.###} s after the last")
            : (false, $"{failuresInARow} failed snapshot(s): the next try waits {delay.TotalSeconds:0.###} s after the last");
    }
}
