using System.Diagnostics;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator role, one per job: owns the data ledger, hands micro-batches to workers, takes back what a lost
/// worker held, counts updates, takes checkpoints, asks for evaluations, and reports progress and the final result to
/// the job's observer. Every decision is an event in its journal (<see cref="ICoordinatorEvent"/>): it is applied to
/// the state at once and persisted asynchronously (the journal writes whatever accumulates meanwhile as one batch).
/// What must not be forgotten once told is told only when it is durable: a commit (the worker stops resending it), a
/// recorded checkpoint, a hand-back. What may be redone is told at once, because waiting for the disk would cap the
/// job's throughput at a few assignments per write: an assignment (if it is lost with a crash, the replayed ledger hands
/// the micro-batch out again; BSP shards take one gradient per step index, and the asynchronous modes allow a repeat)
/// and a checkpoint request (a lost one is asked again under the same id, and its snapshots are overwritten).
/// A coordinator created again replays to the same state and goes on; one started to resume a run goes back to the
/// last complete checkpoint first.
/// </summary>
public sealed class JobCoordinator : ReceivePersistentActor, IWithTimers
{
    private const string ProgressTimer = "progress";
    private const string JournalTimer = "journal";

    private readonly CoordinatorSetup _setup;
    private CoordinatorState _state;
    private readonly CheckpointReplies _checkpointReplies;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, string> _workers = [];
    private readonly List<(IActorRef Worker, RequestWork Request)> _waiting = [];
    // Runs from the first worker's request: a worker process's start-up is not training time.
    private readonly Stopwatch _clock = new();
    private long _nextEvaluationAt;
    private bool _evaluating;
    private bool _finalRequested;
    private ParametersEvaluated? _final;
    private readonly List<ShardStatistics> _statistics = [];
    private double _lossSinceTick;
    private long _samplesSinceTick;
    private TimeSpan _lastTick;
    private TimeSpan _trainingTime;
    private readonly DecisionJournal _journal;

    public JobCoordinator(CoordinatorSetup setup)
    {
        _setup = setup;
        _state = new CoordinatorState(setup.Plan, setup.Mode);
        _checkpointReplies = new CheckpointReplies(setup.Shards.Count);
        _journal = new DecisionJournal((batch, then) => PersistAsync(batch, _ => then()), action => DeferAsync(action, a => a()), SaveState,
            wait => Timers.StartSingleTimer(JournalTimer, JournalWriteDue.Instance, wait), setup.SnapshotEvery, TimeProvider.System);
        Recover<SnapshotOffer>(offer => _state = CoordinatorState.FromSnapshot(setup.Plan, setup.Mode, (CoordinatorSnapshot)offer.Snapshot));
        Recover<IWireMessage>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => Recovered());
        Command<RequestWork>(Handle);
        Command<BatchCompleted>(Handle);
        Command<ParametersEvaluated>(Handle);
        Command<ShardStatistics>(statistics =>
        {
            _statistics.Add(statistics);
            CompleteWhenReported();
        });
        Command<Terminated>(Handle);
        Command<HandBackWork>(Handle);
        Command<ChangeMode>(Handle);
        Command<CheckpointTaken>(Handle);
        Command<CheckpointRefused>(refused =>
        {
            _log.Warning("checkpoint {0} stays incomplete: shard {1} refused it ({2})", refused.CheckpointId, refused.ShardId, refused.Reason);
            _checkpointReplies.Forget(refused.CheckpointId);
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds everything up to it: the events before it and older snapshots are no longer needed.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => _log.Warning("coordinator snapshot failed ({0}); recovery replays more events until one succeeds", failed.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => _log.Warning("could not delete journal events up to {0} ({1})", failed.ToSequenceNr, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning("could not delete old snapshots ({0}); they stay until the next delete", failed.Cause.Message));
        Command<ProgressTick>(_ => ReportProgress());
        Command<JournalWriteDue>(_ => _journal.WriteDue());
    }

    public override string PersistenceId => _setup.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorSetup setup) => Akka.Actor.Props.Create(() => new JobCoordinator(setup));

    private string ModeName => _state.Mode is { } m ? (m.Mode == "ssp" ? $"ssp:{m.Staleness}" : m.Mode) : _setup.Mode.ToString().ToLowerInvariant();

    private void Recovered()
    {
        _journal.Recovered(LastSequenceNr);
        Timers.StartPeriodicTimer(ProgressTimer, ProgressTick.Instance, _setup.ProgressInterval);
        if (_setup.Resume)
        {
            var last = _state.LastCheckpoint;
            Record(new CheckpointRestored(last?.Started.Id ?? 0, last?.Started.Updates ?? 0), restored =>
            {
                _log.Info("resumed from checkpoint {0} at update {1}", restored.Id, restored.Updates);
                _setup.Observer.Tell(restored);
            });
        }
        else
        {
            // Created again in a running job: watch the workers the last instance had; those gone return their work.
            foreach (var (workerId, path) in _state.Members)
            {
                var worker = ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(path);
                _workers[worker] = workerId;
                Context.Watch(worker);
            }
            if (LastSequenceNr > 0) _log.Warning("coordinator recovered at update {0} ({1} workers)", _state.Updates, _state.Members.Count);
        }
        if (_state.Mode is { } mode)
            foreach (var shard in _setup.Shards) shard.Tell(new SetConsistency(mode.Mode, mode.Staleness));
        _nextEvaluationAt = _setup.EvaluateEveryUpdates > 0 ? (_state.Updates / _setup.EvaluateEveryUpdates + 1) * _setup.EvaluateEveryUpdates : long.MaxValue;
        if (_state.Ledger.IsFinished) RequestFinalEvaluation();
    }

    /// <summary>Applies a decision now and journals it; <paramref name="then"/> (telling others of it) runs once it is durable.</summary>
    private void Record<TEvent>(TEvent e, Action<TEvent>? then = null) where TEvent : IWireMessage
    {
        _state.Apply(e);
        _journal.Add(e, then is null ? null : () => then(e));
    }

    /// <summary>The state as of journal entry <paramref name="sequenceNr"/>, taken now and saved once that entry is durable.</summary>
    private void SaveState(long sequenceNr)
    {
        var metadata = new SnapshotMetadata(PersistenceId, sequenceNr, DateTime.UtcNow);
        DeferAsync(_state.ToSnapshot(), snapshot => SnapshotStore.Tell(new SaveSnapshot(metadata, snapshot)));
    }

    private void Handle(RequestWork request)
    {
        if (!_clock.IsRunning) _clock.Start();
        var known = _state.Incarnations.GetValueOrDefault(request.WorkerId);
        if (request.Incarnation < known) return; // from an incarnation that has since been replaced
        // New to this coordinator instance (or a new incarnation): a member from now on, with where it lives.
        if (request.Incarnation > known || !_workers.ContainsKey(Sender) || !_state.Members.ContainsKey(request.WorkerId))
        {
            var path = Akka.Serialization.Serialization.SerializedActorPath(Sender);
            var returned = known > 0 && request.Incarnation > known ? _state.Ledger.HeldBy(request.WorkerId).Count : 0;
            Record(new WorkerJoined(request.WorkerId, request.Incarnation, path));
            if (returned > 0) _log.Warning("worker {0} restarted (incarnation {1}); {2} micro-batch(es) it held go out again",
                request.WorkerId, request.Incarnation, returned);
            // A worker that joins after a live mode change starts in the job's configured mode: tell it the current one.
            if (_state.Mode is { } mode) Sender.Tell(new SetConsistency(mode.Mode, mode.Staleness));
        }
        if (_workers.TryAdd(Sender, request.WorkerId))
        {
            Context.Watch(Sender);
            _log.Info("worker {0} (incarnation {1}) joined", request.WorkerId, request.Incarnation);
        }
        if (TryServe(Sender, request)) return;
        _waiting.RemoveAll(w => w.Worker.Equals(Sender)); // a repeated request (the worker's retry) waits once
        _waiting.Add((Sender, request));
    }

    private bool TryServe(IActorRef worker, RequestWork request)
    {
        if (_final != null)
        {
            worker.Tell(new TrainingCompleted(_state.Updates));
            return true;
        }
        if (_state.Ledger.PeekNext() is not { } next) return false;
        if (_setup.Mode == ConsistencyMode.Bsp) CheckpointAheadOf(next);
        Record(new MicroBatchAssigned(request.WorkerId, next.Epoch, next.Index));
        var a = _setup.Plan.AssignmentOf(next);
        worker.Tell(new WorkAssigned(next.Epoch, next.Index, a.Step, a.IndexInStep, a.MicroBatchesInStep, a.SampleIndices));
        return true;
    }

    private void Handle(BatchCompleted done)
    {
        var id = new MicroBatchId(done.Epoch, done.MicroBatch);
        var outcome = _state.Ledger.Check(done.WorkerId, id);
        var worker = Sender;
        var reply = new BatchCommitted(done.Epoch, done.MicroBatch);
        if (outcome is not (CompletionOutcome.Completed or CompletionOutcome.CompletedEpoch))
        {
            _log.Warning("ignored completion of {0} by {1}: {2}", id, done.WorkerId, outcome);
            _journal.AfterDurable(() => worker.Tell(reply)); // a repeat of a commit still being written is answered after it
            return;
        }
        Record(new MicroBatchCommitted(done.WorkerId, done.Epoch, done.MicroBatch, done.Samples, done.LossSum), _ => worker.Tell(reply));
        _samplesSinceTick += done.Samples;
        _lossSinceTick += done.LossSum;
        if (outcome == CompletionOutcome.CompletedEpoch)
        {
            Record(new EpochCompleted(done.Epoch, _state.Updates));
            _log.Info("epoch {0} completed after {1} updates", done.Epoch + 1, _state.Updates);
        }
        if (_state.Ledger.IsFinished)
        {
            RequestFinalEvaluation();
            return;
        }
        if (_setup.Mode != ConsistencyMode.Bsp && _setup.Checkpoints.AfterCommit(_state.Updates, _state.LastCheckpointTarget) is (true, var reason))
            StartCheckpoint(TakeCheckpoint.AnyVersion, _state.Ledger.Position, _state.Updates, reason);
        if (_state.Updates >= _nextEvaluationAt && !_evaluating)
        {
            _evaluating = true;
            _nextEvaluationAt = (_state.Updates / _setup.EvaluateEveryUpdates + 1) * _setup.EvaluateEveryUpdates;
            _setup.Evaluator.Tell(new EvaluateParameters(_state.Updates, Final: false));
        }
    }

    /// <summary>BSP: handing out <paramref name="next"/>; starts the checkpoint at the boundary after its step when one is due.</summary>
    private void CheckpointAheadOf(MicroBatchId next)
    {
        if (_setup.Checkpoints.AtStepBoundary(_setup.Plan.StepOf(next), _state.LastCheckpointTarget) is ({ } boundary, var reason))
            StartCheckpoint(boundary, LedgerPosition.AtStep(_setup.Plan, boundary), boundary, reason);
    }

    private void StartCheckpoint(long atVersion, LedgerPosition position, long updates, string reason)
    {
        var started = new CheckpointStarted(_state.NextCheckpointId, atVersion, updates, CoordinatorState.RefOf(position.Cursor),
            [.. position.NotDone.Select(CoordinatorState.RefOf)]);
        _log.Info("checkpoint {0} at update {1}: {2}", started.Id, updates, reason);
        Record(started);
        // At once, not once durable: in BSP the request must reach the shards before they pass the boundary.
        for (var shard = 0; shard < _setup.Shards.Count; shard++) _setup.Shards[shard].Tell(new TakeCheckpoint(shard, started.Id, started.AtVersion));
    }

    private void Handle(CheckpointTaken taken)
    {
        var started = _state.CheckpointsInProgress.FirstOrDefault(c => c.Id == taken.CheckpointId);
        if (started is null || _checkpointReplies.Taken(taken) is not { } versions) return; // superseded, or more shards to come
        _checkpointReplies.ForgetUpTo(started.Id);
        Record(new CheckpointRecorded(started.Id, started.Updates, TrainingSeconds, versions), recorded =>
        {
            _log.Info("checkpoint {0} at update {1} is complete", recorded.Id, recorded.Updates);
            _setup.Observer.Tell(recorded);
            // Older checkpoints (complete or not) are no longer what a resume would use.
            foreach (var id in _setup.ShardCheckpointIds) SnapshotStore.Tell(new DeleteSnapshots(id, new SnapshotSelectionCriteria(recorded.Id - 1)));
        });
    }

    private double TrainingSeconds => _state.TrainingSecondsBefore + (_finalRequested ? _trainingTime : _clock.Elapsed).TotalSeconds;

    private void RequestFinalEvaluation()
    {
        if (_finalRequested) return;
        _trainingTime = _clock.Elapsed;
        _finalRequested = true;
        Timers.Cancel(ProgressTimer);
        ReportProgress();
        _setup.Evaluator.Tell(new EvaluateParameters(_state.Updates, Final: true));
        for (var s = 0; s < _setup.Shards.Count; s++) _setup.Shards[s].Tell(new ReportStatistics(s));
    }

    private void Handle(ParametersEvaluated evaluated)
    {
        if (!evaluated.Final)
        {
            _evaluating = false;
            _setup.Observer.Tell(evaluated);
            return;
        }
        _final = evaluated;
        foreach (var (worker, _) in _waiting) worker.Tell(new TrainingCompleted(_state.Updates));
        _waiting.Clear();
        CompleteWhenReported();
    }

    /// <summary>The job is complete once the final evaluation and every shard's statistics are in.</summary>
    private void CompleteWhenReported()
    {
        if (_final is null || _statistics.Count < _setup.Shards.Count) return;
        _setup.Observer.Tell(JobReport.Completed(_setup.Plan.Epochs, _state, _clock.Elapsed.TotalSeconds, TrainingSeconds, _final, _statistics, ModeName));
    }

    /// <summary>
    /// Live switches between ASP and SSP(s): both apply pushes on arrival, so shards and workers can change at
    /// any moment. BSP's steps are counted from the job's start, so BSP is chosen when the job starts.
    /// </summary>
    private void Handle(ChangeMode change)
    {
        var mode = change.Mode.ToLowerInvariant();
        string? problem = (mode, _setup.Mode) switch
        {
            (_, ConsistencyMode.Bsp) => "this job runs BSP, whose steps are counted from the start: it cannot switch while it runs",
            ("bsp", _) => "BSP is chosen when a job starts (its steps are counted from the start); live switches are between asp and ssp:s",
            ("asp" or "ssp", _) when change.Staleness < 0 => $"an SSP bound of {change.Staleness} clocks is negative",
            ("asp" or "ssp", _) => null,
            _ => $"unknown mode '{change.Mode}': expected asp or ssp:s",
        };
        if (_final != null) problem = "the job has finished";
        if (problem != null)
        {
            Sender.Tell(new ModeChangeRejected(problem));
            return;
        }
        var requester = Sender;
        Record(new ModeChanged(mode, change.Staleness, _state.Updates), changed =>
        {
            var set = new SetConsistency(changed.Mode, changed.Staleness);
            foreach (var shard in _setup.Shards) shard.Tell(set);
            foreach (var worker in _workers.Keys) worker.Tell(set);
            _log.Info("mode changed to {0} at update {1}", ModeName, changed.AtUpdate);
            requester.Tell(changed);
            _setup.Observer.Tell(changed);
        });
    }

    /// <summary>A worker leaving gracefully: it committed what it started; what it still holds goes to others now.</summary>
    private void Handle(HandBackWork handBack)
    {
        if (handBack.Incarnation != _state.Incarnations.GetValueOrDefault(handBack.WorkerId))
        {
            Sender.Tell(new WorkHandedBack(0)); // an older incarnation: the newer one holds (or already returned) its work
            return;
        }
        Context.Unwatch(Sender);
        var leaving = Sender;
        Remove(Sender, handBack.WorkerId, "left gracefully", returned =>
        {
            _log.Info("worker {0} left gracefully and handed back {1} micro-batch(es)", handBack.WorkerId, returned);
            leaving.Tell(new WorkHandedBack(returned));
        });
    }

    private void Handle(Terminated terminated)
    {
        if (!_workers.TryGetValue(terminated.ActorRef, out var workerId)) return;
        Remove(terminated.ActorRef, workerId, "gone", returned =>
        {
            if (returned > 0) _log.Warning("worker {0} is gone; {1} micro-batch(es) it held go out again", workerId, returned);
            else _log.Info("worker {0} left", workerId);
        });
    }

    /// <summary>Forgets a worker, returns what it held to the ledger and serves the waiting; <paramref name="then"/> gets the count returned.</summary>
    private void Remove(IActorRef worker, string workerId, string reason, Action<int> then)
    {
        _workers.Remove(worker);
        _waiting.RemoveAll(w => w.Worker.Equals(worker));
        if (_workers.ContainsValue(workerId))
        {
            then(0); // an old reference of a worker that has since come back under a new one: what it holds is the new one's
            return;
        }
        foreach (var shard in _setup.Shards) shard.Tell(new WorkerLeft(workerId));
        var returned = _state.Ledger.HeldBy(workerId).Count;
        Record(new WorkerReleased(workerId, reason), _ => then(returned));
        foreach (var waiting in _waiting.ToList())
            if (TryServe(waiting.Worker, waiting.Request)) _waiting.Remove(waiting);
    }

    private void ReportProgress()
    {
        var now = _clock.Elapsed;
        var seconds = (now - _lastTick).TotalSeconds;
        _setup.Observer.Tell(JobReport.Progress(_setup.Plan, _state, _lossSinceTick, _samplesSinceTick, seconds, now.TotalSeconds));
        _lastTick = now;
        _lossSinceTick = 0;
        _samplesSinceTick = 0;
    }

    private sealed class ProgressTick : INoSerializationVerificationNeeded
    {
        public static readonly ProgressTick Instance = new();
    }

    private sealed class JournalWriteDue : INoSerializationVerificationNeeded
    {
        public static readonly JournalWriteDue Instance = new();
    }
}
