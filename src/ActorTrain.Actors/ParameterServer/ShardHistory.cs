using ActorTrain.Actors.History;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// A shard's entries in its process's history (<see cref="RunHistory"/>): the pushes it applied and refused, and the
/// version each instance started at. It flushes the process's history before every snapshot the shard writes, so that
/// whatever a later restore keeps is on disk even if the process is killed (what a restore undoes is replayed by the
/// workers and recorded again). Records nothing when the history is off.
/// </summary>
internal sealed class ShardHistory(int shardId, RunHistory history)
{
    private readonly HistoryRecorder? _recorder = history.Recorder;

    /// <summary>Per worker incarnation, the first clock this shard served a read for under SSP since the mode was last set.</summary>
    private readonly Dictionary<(string WorkerId, long Incarnation), long> _firstSspRead = [];

    /// <param name="staleness">Updates the push's gradient missed.</param>
    /// <param name="clockGap">SSP only: how far the pusher's read clock is ahead of the slowest worker now.</param>
    /// <param name="bound">With <paramref name="clockGap"/>: the SSP bound the read was served under (reads count only since the mode was last set).</param>
    public void Applied(PushId push, long versionAfter, long staleness, long? clockGap = null, int? bound = null) =>
        _recorder?.Record(new PushApplied(shardId, push, versionAfter, staleness, clockGap, clockGap is null ? null : bound));

    /// <param name="superseded">BSP acked it as a duplicate because another push filled its micro-batch's place in the step.</param>
    public void Rejected(PushId push, string reason, bool superseded = false) =>
        _recorder?.Record(new PushRejected(shardId, push, reason, superseded));

    /// <summary>This instance starts at <paramref name="version"/> (0 without a snapshot): whatever an earlier one applied above it is undone.</summary>
    public void Started(long version) => _recorder?.Record(new ShardRestored(shardId, version, RestoreCause.Recovery));

    /// <summary>A divergence rollback took the shard back to <paramref name="version"/>: what it undid is discarded.</summary>
    public void RolledBack(long version) => _recorder?.Record(new ShardRestored(shardId, version, RestoreCause.Rollback));

    /// <summary>The shard served a worker's read for <paramref name="clock"/> under SSP.</summary>
    public void ServedUnderSsp(string workerId, long incarnation, long clock)
    {
        if (_recorder != null) _firstSspRead.TryAdd((workerId, incarnation), clock);
    }

    /// <summary>The shard's mode was set: reads served before do not count as SSP's.</summary>
    public void ModeSet() => _firstSspRead.Clear();

    /// <summary>
    /// Whether a push at <paramref name="pushClock"/> was computed on weights this shard released under SSP (read for the
    /// clock before it): only then does SSP's bound govern it. A push in flight when ASP became SSP was read without it,
    /// and so was one replayed to a restarted shard by another incarnation of its worker (its clocks are not this one's:
    /// judged by the new incarnation's, a restarted worker actor's old pushes looked 200 clocks ahead; soak-3-251).
    /// </summary>
    public bool ReadUnderSsp(string workerId, long incarnation, long pushClock) =>
        _firstSspRead.TryGetValue((workerId, incarnation), out var first) && pushClock - 1 >= first;

    /// <summary>Before a snapshot of the applied state is captured.</summary>
    public void BeforeSnapshot() => history.Flush();
}
