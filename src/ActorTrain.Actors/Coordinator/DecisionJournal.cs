using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's side of its journal. Events are applied by the coordinator as it decides them and handed here;
/// they gather and go as one <see cref="CoordinatorEvents"/> entry (one row) per write, one write at a time and at most
/// one per <see cref="MinWriteInterval"/>. What must wait for durability (<see cref="AfterDurable"/>) runs once everything
/// decided before it is written. Every <c>snapshotEvery</c> events the coordinator is asked to snapshot the state it holds
/// as that batch is written.
/// <para>
/// What must not be forgotten once told waits for durability: a commit (its worker stops resending it), a recorded
/// checkpoint, a hand-back, a mode change. What may be redone is told at once, since waiting for the disk would cap the
/// job at a few assignments per write: an assignment (lost with a crash, the replayed ledger hands the micro-batch out
/// again; BSP shards take one gradient per step index, and the asynchronous modes allow a repeat) and a checkpoint
/// request (a lost one is asked again under the same id, and its snapshots are overwritten).
/// </para>
/// <para>
/// A write that fails or is rejected never completes here: what waited for it never runs, and no later batch is
/// written. The coordinator stops either way (Akka.Persistence stops it on a failure, <see cref="JobCoordinator"/> itself
/// on a rejection) and its supervisor starts one that replays what is durable.
/// </para>
/// </summary>
/// <param name="persist">Writes a batch, then runs the action (the actor's <c>PersistAsync</c>).</param>
/// <param name="defer">Runs an action once the writes under way are done (the actor's <c>DeferAsync</c>).</param>
/// <param name="snapshot">Snapshots the state as of the batch just handed to the journal, under that batch's sequence number.</param>
/// <param name="writeLater">Calls <see cref="WriteDue"/> after the given time (the actor's timer).</param>
internal sealed class DecisionJournal(Action<CoordinatorEvents, Action> persist, Action<Action> defer, Action<long> snapshot, Action<TimeSpan> writeLater,
    int snapshotEvery, TimeProvider time)
{
    /// <summary>
    /// Each write costs the journal a transaction whatever it holds; written as they come, two events per micro-batch took
    /// a fifth of the reference job's throughput. Nothing on the training path waits for a write (assignments go out at
    /// once), so commits are acknowledged up to this much later in exchange for a few writes per second.
    /// </summary>
    public static readonly TimeSpan MinWriteInterval = TimeSpan.FromMilliseconds(25);

    private readonly List<IWireMessage> _unwritten = [];
    private readonly List<Action> _afterWrite = [];
    private bool _writing;
    private bool _waiting;
    private long _lastWriteAt = long.MinValue;
    private long _sequenceNr;
    private long _events;
    private long _eventsAtSnapshot;

    /// <summary>Recovery is over: the journal's last entry is <paramref name="lastSequenceNr"/>.</summary>
    public void Recovered(long lastSequenceNr) => _sequenceNr = lastSequenceNr;

    /// <summary>An event already applied to the state; <paramref name="afterDurable"/> runs once it is written.</summary>
    public void Add(IWireMessage e, Action? afterDurable = null)
    {
        _unwritten.Add(e);
        _events++;
        if (afterDurable != null) _afterWrite.Add(afterDurable);
        WriteWhenAllowed();
    }

    /// <summary>Runs <paramref name="action"/> once every event added so far is durable (at once when all are).</summary>
    public void AfterDurable(Action action)
    {
        if (_unwritten.Count > 0) _afterWrite.Add(action);
        else if (_writing) defer(action);
        else action();
    }

    /// <summary>The wait <see cref="MinWriteInterval"/> asked for is over.</summary>
    public void WriteDue()
    {
        _waiting = false;
        WriteWhenAllowed();
    }

    private void WriteWhenAllowed()
    {
        if (_writing || _waiting || _unwritten.Count == 0) return;
        var wait = _lastWriteAt == long.MinValue ? TimeSpan.Zero : MinWriteInterval - time.GetElapsedTime(_lastWriteAt);
        if (wait > TimeSpan.Zero)
        {
            _waiting = true;
            writeLater(wait);
            return;
        }
        Write();
    }

    private void Write()
    {
        var batch = new CoordinatorEvents([.. _unwritten]);
        var afterWrite = _afterWrite.ToArray();
        _unwritten.Clear();
        _afterWrite.Clear();
        _writing = true;
        _lastWriteAt = time.GetTimestamp();
        _sequenceNr++;
        persist(batch, () =>
        {
            _writing = false;
            foreach (var action in afterWrite) action();
            WriteWhenAllowed();
        });
        if (snapshotEvery <= 0 || _events - _eventsAtSnapshot < snapshotEvery) return;
        _eventsAtSnapshot = _events;
        snapshot(_sequenceNr);
    }
}
