namespace ActorTrain.Chaos.Faults;

/// <summary>
/// The store faults in force in one process, read by <see cref="FaultyJournal"/> and <see cref="FaultySnapshotStore"/>:
/// an outage (every write and every read fails, as with a lost database: a recovery in it fails too) or extra latency per
/// write. Counts what they did, for the runner's "fired" check.
/// </summary>
public sealed class StoreFaults
{
    private volatile bool _outage;
    private long _latencyTicks;
    private long _failed;
    private long _slowed;

    public bool Outage
    {
        get => _outage;
        set => _outage = value;
    }

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Writes and reads an outage failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);
    public long SlowedWrites => Interlocked.Read(ref _slowed);

    /// <summary>Null when the write may go on (after <see cref="Latency"/>, if any); otherwise the failure to give it.</summary>
    internal async Task<Exception?> BeforeWrite(string what)
    {
        if (_outage)
        {
            Interlocked.Increment(ref _failed);
            return new StoreOutageException($"chaos: the store is down (store-outage); this {what} write fails");
        }
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _slowed);
            await Task.Delay(latency).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>A read (a recovery's snapshot load or journal replay) fails during an outage; latency is for writes only.</summary>
    internal void BeforeRead(string what)
    {
        if (!_outage) return;
        Interlocked.Increment(ref _failed);
        throw new StoreOutageException($"chaos: the store is down (store-outage); this {what} read fails");
    }
}
