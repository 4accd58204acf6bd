using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// The coordinator's state, saved every <c>actortrain.persistence.coordinator-snapshot-every</c> events so that recovery
/// replays only the events after it: the ledger (cursor, handed-back and held micro-batches, reissued count), the update
/// count with BSP's partly committed steps, the workers, the statistics, the mode, the checkpoints, and training control
/// (the evaluations its policies judged, the learning-rate changes, an early stop, a pause), the recent complete
/// checkpoints a divergence rollback may go back to, the rollbacks and the micro-batches they skip.
/// </summary>
[MessagePackObject]
public sealed record CoordinatorSnapshot(
    [property: Key(0)] MicroBatchRef Cursor,
    [property: Key(1)] MicroBatchRef[] Returned,
    [property: Key(2)] HeldMicroBatch[] Outstanding,
    [property: Key(3)] long Reissued,
    [property: Key(4)] long Updates,
    [property: Key(5)] IReadOnlyDictionary<long, int> StepsRemaining,
    [property: Key(6)] IReadOnlyDictionary<string, long> Incarnations,
    [property: Key(7)] IReadOnlyDictionary<string, string> Members,
    [property: Key(8)] IReadOnlyDictionary<string, long> MicroBatchesByWorker,
    [property: Key(9)] long Samples,
    [property: Key(10)] ModeChanged? Mode,
    [property: Key(11)] long NextCheckpointId,
    [property: Key(12)] long LastCheckpointTarget,
    [property: Key(13)] CheckpointStarted[] CheckpointsInProgress,
    [property: Key(14)] CheckpointStarted? LastCheckpoint,
    [property: Key(15)] CheckpointRecorded? LastCheckpointRecorded,
    [property: Key(16)] double TrainingSecondsBefore,
    [property: Key(17)] EvaluationRecorded[]? Evaluations = null,
    [property: Key(18)] LearningRateChanged[]? RateChanges = null,
    [property: Key(19)] EarlyStopped? Stopped = null,
    [property: Key(20)] bool Paused = false,
    [property: Key(21)] BestCheckpointMarked? BestCheckpoint = null,
    [property: Key(22)] CompleteCheckpoint[]? RecentCheckpoints = null,
    [property: Key(23)] RolledBack[]? Rollbacks = null,
    [property: Key(24)] int CompletedRollbacks = 0,
    [property: Key(25)] SkippedMicroBatch[]? Skipped = null,
    [property: Key(26)] bool BestCheckpointComplete = false) : IWireMessage;
