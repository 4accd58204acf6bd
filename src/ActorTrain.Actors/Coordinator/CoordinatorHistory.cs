using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.History;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's entries in its process's history: assignments and re-issues as decided, commits, epoch ends, mode
/// changes and checkpoints once durable (a decision lost with a crash is made again, and must not show twice), a resume's
/// or a divergence's rollback, and the final weights. Records nothing when the history is off.
/// </summary>
internal sealed class CoordinatorHistory(HistoryRecorder? recorder, int shardCount)
{
    public void Assigned(MicroBatchId id, string workerId, long incarnation) => recorder?.Record(new MicroBatchAssigned(id, workerId, incarnation));

    public void Reissued(IEnumerable<MicroBatchId> ids, string reason)
    {
        if (recorder is null) return;
        foreach (var id in ids) recorder.Record(new MicroBatchReissued(id, reason));
    }

    public void Committed(Protocol.MicroBatchCommitted c) =>
        recorder?.Record(new MicroBatchCommitted(new MicroBatchId(c.Epoch, c.MicroBatch), c.WorkerId, c.Samples, c.Skipped));

    public void EpochCompleted(int epoch) => recorder?.Record(new EpochCompleted(epoch));

    public void ModeChanged(Protocol.ModeChanged changed)
    {
        if (recorder is null || !ConsistencyModes.ByName.TryGetValue(changed.Mode, out var mode)) return;
        recorder.Record(new ModeChanged(mode, changed.Staleness, changed.AtUpdate));
    }

    public void CheckpointRecorded(Protocol.CheckpointRecorded recorded) =>
        recorder?.Record(new CheckpointRecorded(recorded.Id, [.. recorded.ShardVersions.Select((v, shard) => new ShardVersion(shard, v))], Complete: true));

    /// <summary>A resume went back to <paramref name="restored"/>: the shards to their versions in it, the ledger to its position.</summary>
    public void RolledBack(Protocol.CheckpointRestored restored, CoordinatorState state) =>
        RolledBack(restored.Id != 0 && state.LastCheckpoint is { } last ? new Protocol.CompleteCheckpoint(last.Started, last.Recorded) : null);

    /// <summary>The run went back to <paramref name="target"/> (null: the start): a resume, or a divergence rollback.</summary>
    public void RolledBack(Protocol.CompleteCheckpoint? target)
    {
        if (recorder is null) return;
        if (target is not null)
        {
            var position = CoordinatorState.PositionOf(target.Started);
            recorder.Record(new RunRolledBack(target.Started.Id, [.. target.Recorded.ShardVersions.Select((v, shard) => new ShardVersion(shard, v))],
                position.Cursor, position.NotDone));
        }
        else
        {
            recorder.Record(new RunRolledBack(0, [.. Enumerable.Range(0, shardCount).Select(s => new ShardVersion(s, 0))], LedgerPosition.Start.Cursor, []));
        }
    }

    /// <summary>Created again in a running job, with <paramref name="state"/> replayed from the journal: its commits count even if the lost coordinator's history never flushed them.</summary>
    public void Recovered(CoordinatorState state)
    {
        if (recorder is null) return;
        var position = state.Ledger.Position;
        recorder.Record(new CoordinatorRecovered(position.Cursor, position.NotDone));
    }

    public void FinalWeights(string sha256, bool stoppedEarly = false) => recorder?.Record(new FinalWeights(sha256, stoppedEarly));
}
