namespace ActorTrain.Core.History;

/// <summary>
/// One process's history: an append-only list that actors on any thread record into. Recording stamps the event
/// (process, sequence, time) under a short lock; <see cref="FlushTo"/> appends what is new to a JSON-lines file, so a
/// process that is killed loses at most what it recorded since its last flush.
/// </summary>
public sealed class HistoryRecorder
{
    private readonly Lock _gate = new();
    private readonly Lock _flushGate = new();
    private readonly List<HistoryEvent> _events = [];
    private readonly TimeProvider _time;
    private DateTimeOffset _last = DateTimeOffset.MinValue;
    private int _flushed;

    /// <param name="process">Names this process in merged histories; make it unique per process (role and pid, say).</param>
    public HistoryRecorder(string process, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(process);
        Process = process;
        _time = time ?? TimeProvider.System;
    }

    public string Process { get; }

    public int Count
    {
        get
        {
            lock (_gate) return _events.Count;
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
            var stamped = (T)((HistoryEvent)historyEvent with { Process = Process, Sequence = _events.Count, At = now });
            _events.Add(stamped);
            return stamped;
        }
    }

    /// <summary>Everything recorded so far, in recording order; later records do not change it.</summary>
    public IReadOnlyList<HistoryEvent> Snapshot()
    {
        lock (_gate) return [.. _events];
    }

    /// <summary>Appends the events recorded since the last flush to <paramref name="path"/>; returns how many.</summary>
    public int FlushTo(string path)
    {
        lock (_flushGate)
        {
            HistoryEvent[] pending;
            lock (_gate) pending = _events.GetRange(_flushed, _events.Count - _flushed).ToArray();
            if (pending.Length > 0) HistoryFile.Append(path, pending);
            _flushed += pending.Length;
            return pending.Length;
        }
    }
}
