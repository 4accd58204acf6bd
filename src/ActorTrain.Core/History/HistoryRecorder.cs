namespace ActorTrain.Core.History;

/// <summary>
/// One process's history: an append-only list that actors on any thread record into. Recording stamps the event
/// (process, sequence, time) under a short lock; <see cref="FlushTo"/> appends what is new to a JSON-lines file and lets
/// go of it, so memory holds only what was recorded since the last flush, and a process that is killed loses at most that.
/// </summary>
public sealed class HistoryRecorder
{
    private readonly Lock _gate = new();
    private readonly Lock _flushGate = new();
    private List<HistoryEvent> _pending = [];
    private readonly TimeProvider _time;
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private long _count;

    /// <param name="process">Names this process in merged histories; make it unique per process (role and pid, say).</param>
    public HistoryRecorder(string process, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(process);
        Process = process;
        _time = time ?? TimeProvider.System;
    }

    public string Process { get; }

    /// <summary>Events recorded so far, flushed or not.</summary>
    public long Count
    {
        get
        {
            lock (_gate) return _count;
        }
    }

    /// <summary>Stamps and appends an event; returns the stamped copy.</summary>
    public T Record<T>(T historyEvent) where T : HistoryEvent
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now < _last) now = _last;
            _last = now;
            var stamped = (T)((HistoryEvent)historyEvent with { Process = Process, Sequence = _count++, At = now });
            _pending.Add(stamped);
            return stamped;
        }
    }

    /// <summary>What was recorded since the last flush, in recording order; later records do not change it.</summary>
    public IReadOnlyList<HistoryEvent> Unflushed()
    {
        lock (_gate) return [.. _pending];
    }

    /// <summary>
    /// Appends the events recorded since the last flush to <paramref name="path"/> and returns how many. When the write
    /// fails they stay pending for the next flush and the exception propagates.
    /// </summary>
    public int FlushTo(string path)
    {
        lock (_flushGate)
        {
            List<HistoryEvent> pending;
            lock (_gate)
            {
                if (_pending.Count == 0) return 0;
                (pending, _pending) = (_pending, []);
            }
            try
            {
                HistoryFile.Append(path, pending);
            }
            catch
            {
                lock (_gate) _pending.InsertRange(0, pending);
                throw;
            }
            return pending.Count;
        }
    }
}
