using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's durable state: the data ledger, the update count, the workers (incarnations and, for a
/// coordinator created again, where they live), the statistics, the mode, the checkpoints and training control (the
/// evaluations judged, the learning-rate changes, an early stop, a pause). It changes only through
/// <see cref="Apply"/> of the coordinator's events, live and in recovery alike, so replaying the journal gives the
/// same state; <see cref="ToSnapshot"/> and <see cref="FromSnapshot"/> shorten that replay. No Akka in here.
/// </summary>
public sealed class CoordinatorState
{
    /// <summary>At most this many checkpoints wait for their shards at once: the coordinator starts no more (a journal that holds more, from an older build, keeps the newest).</summary>
    public const int MaxCheckpointsInProgress = 4;

    private readonly BatchPlan _plan;
    private readonly UpdateCounter _updates;
    private readonly Dictionary<string, long> _incarnations = [];
    private readonly Dictionary<string, string> _members = [];
    private readonly Dictionary<string, long> _byWorker = [];
    private readonly SortedDictionary<long, CheckpointStarted> _inProgress = [];
    private readonly ConsistencyMode _initialMode;
    private readonly List<EvaluationRecorded> _evaluations = [];
    private readonly List<LearningRateChanged> _rateChanges = [];
    private readonly List<CompleteCheckpoint> _recentCheckpoints = [];
    private readonly List<RolledBack> _rollbacks = [];

    /// <summary>At most this many recent complete checkpoints are remembered (those kept in the store are fewer: keep-checkpoints).</summary>
    public const int MaxRecentCheckpoints = 16;

    public CoordinatorState(BatchPlan plan, ConsistencyMode mode)
    {
        _plan = plan;
        _initialMode = mode;
        Ledger = new DataLedger(plan);
        _updates = new UpdateCounter(plan, mode);
    }

    /// <summary>Read it freely; change it only through <see cref="Apply"/>.</summary>
    public DataLedger Ledger { get; private set; }

    public long Updates => _updates.Updates;
    public long Samples { get; private set; }
    public IReadOnlyDictionary<string, long> Incarnations => _incarnations;

    /// <summary>The workers taking part now, by id, with the actor path they asked from.</summary>
    public IReadOnlyDictionary<string, string> Members => _members;

    /// <summary>Micro-batches each worker committed, over the whole run (a resume does not take back what it rolled back).</summary>
    public IReadOnlyDictionary<string, long> MicroBatchesByWorker => _byWorker;

    /// <summary>The last live mode change, or null while the job runs in the mode it started with.</summary>
    public ModeChanged? Mode { get; private set; }

    /// <summary>The mode in force: the last live change's, or the one the job started with.</summary>
    public ConsistencyMode ModeInForce => Mode?.Consistency ?? _initialMode;

    /// <summary>BSP: a plan step's number on the wire (the shards' version when it is applied) is the plan step plus this.</summary>
    public long StepOffset => Mode?.StepOffset ?? 0;

    /// <summary>BSP: the update count at a plan step boundary is the plan step plus this (updates before a switch to BSP count too).</summary>
    public long UpdateOffset => Mode is { } m && m.Consistency == ConsistencyMode.Bsp ? m.AtUpdate - m.FromStep : 0;

    public long NextCheckpointId { get; private set; } = 1;

    /// <summary>The update count (BSP: the step) of the newest checkpoint started; the schedule goes on from it.</summary>
    public long LastCheckpointTarget { get; private set; }

    public IReadOnlyCollection<CheckpointStarted> CheckpointsInProgress => _inProgress.Values;

    /// <summary>The newest complete checkpoint: what a resume goes back to.</summary>
    public (CheckpointStarted Started, CheckpointRecorded Recorded)? LastCheckpoint { get; private set; }

    /// <summary>Training time before this coordinator's sessions began counting: a resumed run's, up to its checkpoint.</summary>
    public double TrainingSecondsBefore { get; private set; }

    /// <summary>BSP: whether a micro-batch of plan step <paramref name="planStep"/> is committed or out (the step has begun).</summary>
    public bool StepStarted(long planStep) => _updates.StepsRemaining.ContainsKey(planStep) || Ledger.Outstanding.Any(id => _plan.StepOf(id) == planStep);

    /// <summary>BSP: the plan steps some of whose micro-batches are committed, and not all.</summary>
    public IEnumerable<long> StepsPartlyCommitted => _updates.StepsRemaining.Keys;

    /// <summary>Nothing is out and, in BSP, no step is partly committed: the shards stand at the state the update count names.</summary>
    public bool AtRest => Ledger.OutstandingCount == 0 && (ModeInForce != ConsistencyMode.Bsp || _updates.StepsRemaining.Count == 0);

    /// <summary>The evaluations the policies judged, in order.</summary>
    public IReadOnlyList<EvaluationRecorded> Evaluations => _evaluations;

    /// <summary>Every learning-rate change in force, in the order it was persisted: what the shards apply.</summary>
    public IReadOnlyList<LearningRateChanged> RateChanges => _rateChanges;

    /// <summary>Training ends early (a policy or <c>ctl stop</c>); null while it runs to its planned end.</summary>
    public EarlyStopped? Stopped { get; private set; }

    /// <summary>The checkpoint holding the best weights so far by the policies' watched metric; null before one.</summary>
    public BestCheckpointMarked? BestCheckpoint { get; private set; }

    /// <summary>Whether <see cref="BestCheckpoint"/> is complete (every shard's snapshot of it durable): what restore-best goes back to.</summary>
    public bool BestCheckpointComplete { get; private set; }

    /// <summary><c>ctl pause</c>: no micro-batch goes out until <c>ctl continue</c>.</summary>
    public bool Paused { get; private set; }

    /// <summary>The newest complete checkpoints, oldest first: what a divergence rollback may go back to.</summary>
    public IReadOnlyList<CompleteCheckpoint> RecentCheckpoints => _recentCheckpoints;

    /// <summary>The run's divergence rollbacks, in order.</summary>
    public IReadOnlyList<RolledBack> Rollbacks => _rollbacks;

    /// <summary>How many of <see cref="Rollbacks"/> are over (<see cref="RollbackCompleted"/>).</summary>
    public int CompletedRollbacks { get; private set; }

    /// <summary>The rollback under way, if any: nothing goes out until the shards are back at its checkpoint.</summary>
    public RolledBack? RollingBack => _rollbacks.Count > CompletedRollbacks ? _rollbacks[^1] : null;

    /// <summary>Applies one event; an event that does not fit this state (a journal from another job) throws.</summary>
    public void Apply(IWireMessage e)
    {
        switch (e)
        {
            case CoordinatorEvents batch:
                foreach (var inner in batch.Events) Apply(inner);
                return;
            case WorkerJoined joined:
                var known = _incarnations.GetValueOrDefault(joined.WorkerId);
                if (joined.Incarnation < known) return;
                if (joined.Incarnation > known && known > 0) Ledger.Release(joined.WorkerId); // restarted: its work goes out again
                _incarnations[joined.WorkerId] = joined.Incarnation;
                _members[joined.WorkerId] = joined.ActorPath;
                return;
            case WorkerReleased released:
                Ledger.Release(released.WorkerId);
                _members.Remove(released.WorkerId);
                return;
            case MicroBatchAssigned assigned:
                Ledger.Take(assigned.WorkerId, new MicroBatchId(assigned.Epoch, assigned.MicroBatch));
                return;
            case MicroBatchCommitted committed:
                Commit(committed);
                return;
            case EpochCompleted:
                return;
            case ModeChanged mode:
                Follow(mode);
                return;
            case CheckpointStarted started:
                _inProgress[started.Id] = started;
                NextCheckpointId = Math.Max(NextCheckpointId, started.Id + 1);
                LastCheckpointTarget = Math.Max(LastCheckpointTarget, started.Updates);
                while (_inProgress.Count > MaxCheckpointsInProgress) _inProgress.Remove(_inProgress.Keys.First());
                return;
            case CheckpointRecorded recorded:
                if (!_inProgress.Remove(recorded.Id, out var start)) throw Unfit(e, "it was not in progress");
                LastCheckpoint = (start, recorded);
                _recentCheckpoints.Add(new CompleteCheckpoint(start, recorded));
                if (BestCheckpoint?.CheckpointId == recorded.Id) BestCheckpointComplete = true;
                if (_recentCheckpoints.Count > MaxRecentCheckpoints) _recentCheckpoints.RemoveAt(0);
                foreach (var older in _inProgress.Keys.Where(id => id < recorded.Id).ToList()) _inProgress.Remove(older);
                return;
            case CheckpointRestored restored:
                RollBack(restored);
                return;
            case RolledBack rolledBack:
                RollBack(rolledBack);
                return;
            case RollbackCompleted completed:
                if (RollingBack?.Rollback != completed.Rollback) throw Unfit(e, "that rollback is not under way");
                CompletedRollbacks++;
                return;
            case EvaluationRecorded evaluation:
                _evaluations.Add(evaluation);
                return;
            case LearningRateChanged change:
                _rateChanges.Add(change);
                return;
            case EarlyStopped stopped:
                Stopped ??= stopped;
                return;
            case RunPaused:
                Paused = true;
                return;
            case BestCheckpointMarked best:
                BestCheckpoint = best;
                BestCheckpointComplete = _recentCheckpoints.Any(c => c.Started.Id == best.CheckpointId);
                return;
            case RunContinued:
                Paused = false;
                return;
            default:
                throw new ArgumentException($"{e.GetType().Name} is not a coordinator event", nameof(e));
        }
    }

    private void Commit(MicroBatchCommitted committed)
    {
        var id = new MicroBatchId(committed.Epoch, committed.MicroBatch);
        var outcome = Ledger.Complete(committed.WorkerId, id);
        if (outcome is not (CompletionOutcome.Completed or CompletionOutcome.CompletedEpoch)) throw Unfit(committed, outcome.ToString());
        _updates.Committed(id, committed.CompletesUpdate);
        _byWorker[committed.WorkerId] = _byWorker.GetValueOrDefault(committed.WorkerId) + 1;
        Samples += committed.Samples;
    }

    /// <summary>A resume: back to the last complete checkpoint (or the start), with the training time it had.</summary>
    private void RollBack(CheckpointRestored restored)
    {
        CompleteCheckpoint? target = null;
        if (restored.Id != 0)
            target = LastCheckpoint is { } last && last.Started.Id == restored.Id
                ? new CompleteCheckpoint(last.Started, last.Recorded)
                : throw Unfit(restored, "it is not the last complete checkpoint");
        GoBackTo(target, restored.Updates);
        TrainingSecondsBefore = target?.Recorded.TrainingSeconds ?? 0;
        _members.Clear();
        Stopped = null;
        Paused = false;
    }

    /// <summary>
    /// A divergence rollback: back to one of the recent complete checkpoints (or the start) while the job runs (the
    /// training time goes on counting, the workers stay members), with the trouble's micro-batches marked skipped.
    /// </summary>
    private void RollBack(RolledBack rolledBack)
    {
        var target = rolledBack.CheckpointId == 0 ? null
            : _recentCheckpoints.LastOrDefault(c => c.Started.Id == rolledBack.CheckpointId) ?? throw Unfit(rolledBack, "it is not a recent complete checkpoint");
        GoBackTo(target, rolledBack.Updates);
        _recentCheckpoints.RemoveAll(c => c.Started.Id > rolledBack.CheckpointId);
        LastCheckpoint = target is null ? null : (target.Started, target.Recorded);
        // Only what the rollback leaves to do can be skipped (all of the trouble's, when the checkpoint is older than it).
        var free = rolledBack.Skipped.Select(IdOf).Where(id => Ledger.Check("", id) == CompletionOutcome.NotAssigned).ToList();
        Ledger.Skip(free, $"rollback {rolledBack.Rollback}: {rolledBack.Reason}");
        _rollbacks.Add(rolledBack);
    }

    private void GoBackTo(CompleteCheckpoint? target, long updates)
    {
        var position = target is null ? LedgerPosition.Start : PositionOf(target.Started);
        Ledger.RollBackTo(position);
        Follow(target?.Started.Mode); // the mode in force at the checkpoint
        _updates.RestoreTo(updates);
        Samples = position.Samples(_plan);
        _inProgress.Clear();
        LastCheckpointTarget = updates;
        // Training control goes back too: the evaluations after the checkpoint are made again, and with them the policies'
        // changes; a person's changes (ctl) stay, judged from the first evaluation after the checkpoint on.
        _evaluations.RemoveAll(e => e.Update > updates);
        _rateChanges.RemoveAll(c => c.Source != LearningRateChanged.Ctl && c.AtUpdate > updates);
        for (var i = 0; i < _rateChanges.Count; i++)
            if (_rateChanges[i].AfterEvaluations > _evaluations.Count) _rateChanges[i] = _rateChanges[i] with { AfterEvaluations = _evaluations.Count };
        if (BestCheckpoint is { } kept && kept.Updates > updates) (BestCheckpoint, BestCheckpointComplete) = (null, false); // a rollback removes what came after it
    }

    private void Follow(ModeChanged? mode)
    {
        Mode = mode;
        _updates.Follow(ModeInForce);
    }

    private static InvalidOperationException Unfit(IWireMessage e, string why) =>
        new($"the coordinator's journal does not fit this job: {e} cannot apply ({why})");

    public static LedgerPosition PositionOf(CheckpointStarted started) => new(IdOf(started.Cursor), [.. started.NotDone.Select(IdOf)]);

    public static MicroBatchId IdOf(MicroBatchRef r) => new(r.Epoch, r.MicroBatch);

    public static MicroBatchRef RefOf(MicroBatchId id) => new(id.Epoch, id.Index);

    public CoordinatorSnapshot ToSnapshot()
    {
        var ledger = Ledger.Export();
        return new CoordinatorSnapshot(RefOf(ledger.Cursor), [.. ledger.Returned.Select(RefOf)],
            [.. ledger.Outstanding.Select(o => new HeldMicroBatch(o.Key.Epoch, o.Key.Index, o.Value))], ledger.Reissued,
            _updates.Updates, new Dictionary<long, int>(_updates.StepsRemaining), new Dictionary<string, long>(_incarnations),
            new Dictionary<string, string>(_members), new Dictionary<string, long>(_byWorker), Samples, Mode, NextCheckpointId,
            LastCheckpointTarget, [.. _inProgress.Values], LastCheckpoint?.Started, LastCheckpoint?.Recorded, TrainingSecondsBefore,
            [.. _evaluations], [.. _rateChanges], Stopped, Paused, BestCheckpoint, [.. _recentCheckpoints], [.. _rollbacks], CompletedRollbacks,
            [.. ledger.Skipped?.Select(k => new SkippedMicroBatch(k.Key.Epoch, k.Key.Index, k.Value)) ?? []], BestCheckpointComplete);
    }

    public static CoordinatorState FromSnapshot(BatchPlan plan, ConsistencyMode mode, CoordinatorSnapshot s)
    {
        var state = new CoordinatorState(plan, mode)
        {
            Ledger = DataLedger.Restore(plan, new LedgerState(IdOf(s.Cursor), [.. s.Returned.Select(IdOf)],
                [.. s.Outstanding.Select(o => KeyValuePair.Create(new MicroBatchId(o.Epoch, o.MicroBatch), o.WorkerId))], s.Reissued,
                [.. (s.Skipped ?? []).Select(k => KeyValuePair.Create(new MicroBatchId(k.Epoch, k.MicroBatch), k.Reason))])),
            Samples = s.Samples,
            NextCheckpointId = s.NextCheckpointId,
            LastCheckpointTarget = s.LastCheckpointTarget,
            LastCheckpoint = s.LastCheckpoint is { } last && s.LastCheckpointRecorded is { } recorded ? (last, recorded) : null,
            TrainingSecondsBefore = s.TrainingSecondsBefore,
            Stopped = s.Stopped,
            Paused = s.Paused,
            BestCheckpoint = s.BestCheckpoint,
            CompletedRollbacks = s.CompletedRollbacks,
            BestCheckpointComplete = s.BestCheckpointComplete,
        };
        state._recentCheckpoints.AddRange(s.RecentCheckpoints ?? (state.LastCheckpoint is { } l ? [new CompleteCheckpoint(l.Started, l.Recorded)] : []));
        state._rollbacks.AddRange(s.Rollbacks ?? []);
        state._evaluations.AddRange(s.Evaluations ?? []);
        state._rateChanges.AddRange(s.RateChanges ?? []);
        state.Follow(s.Mode);
        state._updates.RestoreTo(s.Updates, s.StepsRemaining);
        foreach (var (worker, incarnation) in s.Incarnations) state._incarnations[worker] = incarnation;
        foreach (var (worker, path) in s.Members) state._members[worker] = path;
        foreach (var (worker, count) in s.MicroBatchesByWorker) state._byWorker[worker] = count;
        foreach (var started in s.CheckpointsInProgress) state._inProgress[started.Id] = started;
        return state;
    }
}
