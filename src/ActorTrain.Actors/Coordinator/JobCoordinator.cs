using ActorTrain.Actors.Telemetry;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.History;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator role, one per job: owns the data ledger, hands micro-batches to workers, takes back what a lost
/// worker held, counts updates, takes checkpoints, asks for evaluations, and reports progress and the final result to
/// the job's observer. Every decision is an event (<see cref="ICoordinatorEvent"/>), applied to its state at once and
/// journaled in batches (<see cref="DecisionJournal"/>, which says what waits for durability and what does not). A
/// coordinator created again replays to the same state and goes on; one started to resume a run goes back to the last
/// complete checkpoint first.
/// </summary>
public sealed class JobCoordinator : ReceivePersistentActor, IWithTimers
{
    private const string ProgressTimer = "progress";
    private const string JournalTimer = "journal";
    private const string FinalReportTimer = "final-report";
    private static readonly TimeSpan FinalReportResendAfter = TimeSpan.FromSeconds(5);
    private const string ModeSwitchResendTimer = "mode-switch-resend";

    /// <summary>
    /// A micro-batch out this long without a completion is told to its worker again. Longer than a worker's own resends
    /// (5 s) and than a slow BSP step's wait, so a healthy run tells nothing twice.
    /// </summary>
    private static readonly TimeSpan AssignmentResendAfter = TimeSpan.FromSeconds(15);

    private readonly AssignmentResends _resends = new(AssignmentResendAfter);

    private readonly CoordinatorSetup _setup;
    private CoordinatorState _state;
    private readonly CoordinatorCheckpoints _checkpoints;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, string> _workers = [];
    private readonly List<(IActorRef Worker, RequestWork Request)> _waiting = [];
    private readonly TrainingClock _clock = new();
    private long _nextEvaluationAt;
    private double _nextEvaluationSeconds = double.PositiveInfinity;
    private long _startedAt;
    private bool _evaluating;
    private bool _finalRequested;
    private ParametersEvaluated? _final;
    private readonly List<ShardStatistics> _statistics = [];
    private readonly DecisionJournal _journal;
    private readonly ModeSwitcher _switch;
    private readonly CoordinatorHistory _history;
    private readonly ZombieFence _fence;
    private readonly TrainingControl _control;
    private readonly LiveControl _live;
    private readonly Rollbacks _rollbacks;
    private ParametersEvaluated? _lastEvaluation;
    private DateTime _evaluationAskedAt;

    /// <summary>A mid-run evaluation not answered in this time is asked for again (the evaluator restarted, or the answer was lost).</summary>
    private static readonly TimeSpan EvaluationResendAfter = TimeSpan.FromSeconds(30);

    public JobCoordinator(CoordinatorSetup setup)
    {
        _setup = setup;
        _state = new CoordinatorState(setup.Plan, setup.Mode);
        _history = new CoordinatorHistory(RunHistory.Of(Context.System), setup.Shards.Count);
        _fence = new ZombieFence(Context.System, "the coordinator");
        _switch = new ModeSwitcher(setup, () => _state, (e, then) => Record(e, _ =>
        {
            if (e is ModeChanged changed) _history.ModeChanged(changed);
            then();
        }), () => _workers.Keys, ServeWaiting, ResendModeSwitch, _log);
        _checkpoints = new CoordinatorCheckpoints(setup, (e, then) => Record(e, then is null ? null : _ => then()), SnapshotStore, _log, _history);
        _control = new TrainingControl(setup, () => _state, (e, then) => Record(e, then is null ? null : _ => then()), ControlChanged, CheckpointBest, _log);
        _live = new LiveControl(setup, () => _state, _control, _checkpoints, (e, then) => Record(e, then is null ? null : _ => then()), ControlChanged,
            () => new LiveView([.. _workers.Values.Distinct()], _lastEvaluation, ModeName, _finalRequested), _log);
        _rollbacks = new Rollbacks(setup, () => _state, (e, then) => Record(e, then is null ? null : _ => then()), _history, () => _workers, RolledBack,
            StopDiverged, ServeWaiting, id => _checkpoints.Awaits(id), _log);
        _journal = new DecisionJournal((batch, then) => PersistAsync(batch, _ => then()), action => DeferAsync(DeferredMarker, _ => action()), SaveState,
            wait => Timers.StartSingleTimer(JournalTimer, JournalWriteDue.Instance, wait), setup.SnapshotEvery, TimeProvider.System);
        Recover<SnapshotOffer>(offer => _state = CoordinatorState.FromSnapshot(setup.Plan, setup.Mode, (CoordinatorSnapshot)offer.Snapshot));
        Recover<IWireMessage>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => Recovered());
        Command<RequestWork>(Handle);
        Command<BatchCompleted>(Handle);
        Command<ParametersEvaluated>(Handle);
        Command<ShardStatistics>(statistics =>
        {
            // One per shard: a shard asked again (its first answer, or the request, was lost) may answer twice.
            if (_statistics.Any(s => s.ShardId == statistics.ShardId)) return;
            _statistics.Add(statistics);
            CompleteWhenReported();
        });
        Command<FinalReportDue>(_ => AskForTheFinalReport());
        Command<Terminated>(Handle);
        Command<HandBackWork>(Handle);
        Command<ClusterEvent.UnreachableMember>(Handle);
        Command<ChangeMode>(Handle);
        Command<LearningRatesSet>(set => _control.Confirmed(set));
        Command<ShardRolledBack>(answer => _rollbacks.Confirmed(answer));
        Command<ControlRun>(run => _live.Handle(run, Sender));
        Command<ShardVersionReported>(reported => _switch.VersionReported(reported));
        Command<ConsistencySet>(set => _switch.Confirmed(set));
        Command<ModeSwitchResendDue>(_ => _switch.Resend());
        Command<CheckpointTaken>(taken =>
        {
            _checkpoints.Taken(taken, _state, TrainingSeconds);
            _rollbacks.CheckpointsChanged();
        });
        Command<CheckpointRefused>(refused =>
        {
            _checkpoints.Refused(refused);
            _rollbacks.CheckpointsChanged();
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            // The snapshot holds everything up to it: the events before it and older snapshots are no longer needed.
            DeleteMessages(saved.Metadata.SequenceNr);
            if (saved.Metadata.SequenceNr > 1) DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)); // "up to 0" is "all" to some stores
        });
        Command<SaveSnapshotFailure>(failed => _log.Warning("coordinator snapshot failed ({0}); recovery replays more events", failed.Cause.Message));
        Command<DeleteMessagesFailure>(failed => _log.Warning("could not delete journal events up to {0} ({1})", failed.ToSequenceNr, failed.Cause.Message));
        Command<DeleteSnapshotsFailure>(failed => _log.Warning("could not delete old snapshots ({0}); they stay until the next delete", failed.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotSuccess>(_ => { });
        Command<DeleteSnapshotFailure>(failed => _log.Warning("could not delete checkpoint snapshot {0} of {1} ({2}); it stays", failed.Metadata.SequenceNr,
            failed.Metadata.PersistenceId, failed.Cause.Message));
        Command<ProgressTick>(_ =>
        {
            _setup.Observer.Tell(_clock.Tick(_setup.Plan, _state));
            ResendLostAssignments();
            _control.Tick();
            _checkpoints.GiveUpStale();
            _rollbacks.Tick();
            if (_evaluating && !_finalRequested && DateTime.UtcNow - _evaluationAskedAt > EvaluationResendAfter)
            {
                _evaluating = false; // its answer, if it still comes, is taken as any other
                EvaluateIfDue(force: _control.Exact);
            }
        });
        Command<JournalWriteDue>(_ => _journal.WriteDue());
    }

    /// <summary>
    /// What <c>DeferAsync</c> passes through the journal for an action that waits for the writes under way: a plain value,
    /// since the journal's messages must be serializable (the action itself stays here, in the handler).
    /// </summary>
    private const string DeferredMarker = "after-writes";

    public override string PersistenceId => _setup.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorSetup setup) => Akka.Actor.Props.Create(() => new JobCoordinator(setup));

    protected override void PreStart()
    {
        _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _fence.Start(Timers);
        base.PreStart();
    }

    protected override bool AroundReceive(Receive receive, object message) => _fence.Around(message, _log, () => base.AroundReceive(receive, message));

    private void Recovered()
    {
        ActorTrainMetrics.RecoveryDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, new KeyValuePair<string, object?>("role", "coordinator"));
        _journal.Recovered(LastSequenceNr);
        Timers.StartPeriodicTimer(ProgressTimer, ProgressTick.Instance, _setup.ProgressInterval);
        // In a cluster, a worker's node that stops answering has its micro-batches re-issued at once, before it is
        // downed: a false alarm costs a little duplicate work (completions are idempotent), a real one costs no wait.
        if (Context.System is ExtendedActorSystem { Provider: IClusterActorRefProvider })
        {
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
            if (Context.Child(QuickDowning.Name).IsNobody()) Context.ActorOf(QuickDowning.Props(), QuickDowning.Name);
        }
        if (_setup.Resume)
        {
            var last = _state.LastCheckpoint;
            var restoring = new CheckpointRestored(last?.Started.Id ?? 0, last?.Started.Updates ?? 0);
            Record(restoring, restored =>
            {
                _log.Info("resumed from checkpoint {0} at update {1}", restored.Id, restored.Updates);
                _setup.Observer.Tell(restored);
            });
            _history.RolledBack(restoring, _state);
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
            if (LastSequenceNr > 0)
            {
                _log.Warning("coordinator recovered at update {0} ({1} workers)", _state.Updates, _state.Members.Count);
                _history.Recovered(_state);
                foreach (var worker in _workers.Keys) worker.Tell(new CoordinatorRestarted(_state.Updates));
            }
        }
        _switch.Recovered();
        _control.Recovered();
        _rollbacks.Recovered();
        _nextEvaluationAt = _setup.EvaluateEveryUpdates > 0 ? (_state.Updates / _setup.EvaluateEveryUpdates + 1) * _setup.EvaluateEveryUpdates : long.MaxValue;
        _nextEvaluationSeconds = _setup.EvaluateEverySeconds > 0 ? TrainingSeconds + _setup.EvaluateEverySeconds : double.PositiveInfinity;
        if (_state.Ledger.IsFinished || _control.StoppedAndDrained) EndTraining();
        else EvaluateIfDue(); // exact training control: a boundary reached before the last instance's evaluation was judged
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
        _clock.WorkRequested();
        var known = _state.Incarnations.GetValueOrDefault(request.WorkerId);
        if (request.Incarnation < known) return; // from an incarnation that has since been replaced
        if (_rollbacks.Fenced(request.WorkerId, request.Incarnation) is { } rollBack)
        {
            // Its work was on the diverged weights: once the shards are back (not before: it would pull the diverged ones), it starts again.
            if (!_rollbacks.Holds) Sender.Tell(rollBack);
            return;
        }
        // New to this coordinator instance (or a new incarnation): a member from now on, with where it lives.
        if (request.Incarnation > known || !_workers.ContainsKey(Sender) || !_state.Members.ContainsKey(request.WorkerId))
        {
            var path = Akka.Serialization.Serialization.SerializedActorPath(Sender);
            var returned = known > 0 && request.Incarnation > known ? _state.Ledger.HeldBy(request.WorkerId) : [];
            _history.Reissued(returned, $"worker {request.WorkerId} restarted");
            Record(new WorkerJoined(request.WorkerId, request.Incarnation, path));
            if (returned.Count > 0) _log.Warning("worker {0} restarted (incarnation {1}); {2} micro-batch(es) it held go out again",
                request.WorkerId, request.Incarnation, returned.Count);
            // A worker that joins after a live mode change starts in the job's configured mode: tell it the current one.
            if (_state.Mode is { } mode) Sender.Tell(SetConsistency.Of(mode));
        }
        if (_workers.TryAdd(Sender, request.WorkerId))
        {
            Context.Watch(Sender);
            _log.Info("worker {0} (incarnation {1}) joined", request.WorkerId, request.Incarnation);
            ActorTrainMetrics.LiveWorkers(_workers.Values.Distinct().Count());
        }
        if (TryServe(Sender, request)) return;
        // A worker in a local round would wait for work to fill it: tell it there is none, so it pushes what it has.
        Sender.Tell(new WorkRequestDeferred(_state.Ledger.OutstandingCount));
        _waiting.RemoveAll(w => w.Worker.Equals(Sender)); // a repeated request (the worker's retry) waits once
        _waiting.Add((Sender, request));
    }

    private bool TryServe(IActorRef worker, RequestWork request)
    {
        if (_final != null)
        {
            // Only once every commit is durable: a worker told the job is over stops asking for work, and a coordinator
            // recovered from a journal that lagged (a failed write) would wait for it forever (found by the soak).
            var updates = _state.Updates;
            _journal.AfterDurable(() => worker.Tell(new TrainingCompleted(updates)));
            return true;
        }
        if (_state.Ledger.PeekNext() is not { } next || _rollbacks.Holds || _switch.Holds() || _control.Holds(next)) return false;
        _checkpoints.AheadOf(next, _state);
        _history.Assigned(next, request.WorkerId, request.Incarnation);
        _resends.Told(next, DateTime.UtcNow);
        Record(new MicroBatchAssigned(request.WorkerId, next.Epoch, next.Index));
        worker.Tell(Assignment(next));
        return true;
    }

    private WorkAssigned Assignment(MicroBatchId id)
    {
        var a = _setup.Plan.AssignmentOf(id);
        return new WorkAssigned(id.Epoch, id.Index, a.Step + _state.StepOffset, a.IndexInStep, a.MicroBatchesInStep, a.SampleIndices, _state.Ledger.SkipReasonOf(id),
            _state.Rollbacks.Count);
    }

    /// <summary>Tells each live worker again the micro-batches it holds with no completion for a while (see <see cref="AssignmentResends"/>).</summary>
    private void ResendLostAssignments()
    {
        var now = DateTime.UtcNow;
        foreach (var (worker, workerId) in _workers)
            foreach (var id in _resends.Due(_state.Ledger.HeldBy(workerId), now))
            {
                _log.Info("told worker {0} its micro-batch {1} again: no completion for {2} s (the first assignment may have been lost)",
                    workerId, id, AssignmentResendAfter.TotalSeconds);
                worker.Tell(Assignment(id));
            }
    }

    private void Handle(BatchCompleted done)
    {
        var id = new MicroBatchId(done.Epoch, done.MicroBatch);
        var outcome = _state.Ledger.Check(done.WorkerId, id);
        var worker = Sender;
        var reply = new BatchCommitted(done.Epoch, done.MicroBatch);
        if (done.Incarnation < _state.Incarnations.GetValueOrDefault(done.WorkerId)) outcome = CompletionOutcome.NotAssigned; // an older incarnation's work
        if (outcome is not (CompletionOutcome.Completed or CompletionOutcome.CompletedEpoch))
        {
            _log.Warning("ignored completion of {0} by {1}: {2}", id, done.WorkerId, outcome);
            _journal.AfterDurable(() => worker.Tell(reply)); // a repeat of a commit still being written is answered after it
            return;
        }
        var commit = new MicroBatchCommitted(done.WorkerId, done.Epoch, done.MicroBatch, done.Samples, done.LossSum, done.CompletesUpdate, done.GradientNorm,
            done.Skipped);
        Record(commit, committed =>
        {
            worker.Tell(reply);
            _history.Committed(committed);
        });
        _clock.Committed(done.Samples, done.LossSum);
        _switch.Progress();
        if (outcome == CompletionOutcome.CompletedEpoch)
        {
            Record(new EpochCompleted(done.Epoch, _state.Updates), completed => _history.EpochCompleted(completed.Epoch));
            _log.Info("epoch {0} completed after {1} updates", done.Epoch + 1, _state.Updates);
        }
        _rollbacks.Committed(commit);
        if (_rollbacks.Holds) return;
        if (_state.Ledger.IsFinished || _control.StoppedAndDrained)
        {
            EndTraining();
            return;
        }
        _checkpoints.AfterCommit(_state);
        _live.Progress();
        EvaluateIfDue();
    }

    /// <summary>
    /// A new best evaluation: a checkpoint of it now (in BSP with a policy the run stands at the evaluated boundary), marked
    /// the best as it starts (a run may end before it is complete), so that its snapshots are kept when newer checkpoints
    /// replace the others and <c>export --checkpoint best</c> writes it.
    /// </summary>
    private void CheckpointBest(Core.Hyperparameters.Policies.Evaluation evaluation, string metric, double value) =>
        _checkpoints.Wanted(_state, (started, recorded) =>
        {
            if (started is null || recorded is not null) return;
            var best = new BestCheckpointMarked(started.Id, started.Updates, evaluation.Update, metric, value);
            Record(best, marked =>
            {
                _log.Info("checkpoint {0} at update {1} holds the best {2} so far, {3:g6} (evaluated at update {4})", marked.CheckpointId,
                    marked.Updates, metric, value, evaluation.Update);
                _setup.Observer.Tell(marked);
            });
        });

    /// <summary>A divergence rollback is applied to the state: checkpoints under way are given up, training control replays and scales the rate.</summary>
    private void RolledBack(RolledBack rollback)
    {
        _checkpoints.RolledBack();
        _control.RolledBack(rollback);
        _evaluating = false;
        _waiting.RemoveAll(w => rollback.Fenced.TryGetValue(w.Request.WorkerId, out var fenced) && w.Request.Incarnation <= fenced);
        if (_setup.EvaluateEveryUpdates > 0) _nextEvaluationAt = (_state.Updates / _setup.EvaluateEveryUpdates + 1) * _setup.EvaluateEveryUpdates;
    }

    /// <summary>Training diverged once more than max-rollbacks allows: it ends like an early stop, and the job reports it diverged.</summary>
    private void StopDiverged(string reason)
    {
        var stopped = new EarlyStopped(_state.Updates, LearningRateChanged.Divergence, reason);
        Record(stopped, _ => _setup.Observer.Tell(stopped));
        if (_control.StoppedAndDrained) EndTraining();
    }

    /// <summary>Training control released what it held (a judged boundary, a confirmed rate, a continue), or training stopped early.</summary>
    private void ControlChanged()
    {
        if (_control.StoppedAndDrained) EndTraining();
        else ServeWaiting();
    }

    /// <summary>
    /// Asks for a mid-run evaluation when one is due: every-updates or every-seconds; with exact training control (BSP
    /// with a policy) at each every-updates boundary only, which the coordinator holds the steps after until it is judged.
    /// <paramref name="force"/>: again, the last request having gone unanswered.
    /// </summary>
    private void EvaluateIfDue(bool force = false)
    {
        if (_evaluating || _finalRequested) return;
        var due = _control.Exact
            ? _control.EvaluationDue
            : force || _state.Updates >= _nextEvaluationAt || TrainingSeconds >= _nextEvaluationSeconds;
        if (!due) return;
        _evaluating = true;
        _evaluationAskedAt = DateTime.UtcNow;
        if (_setup.EvaluateEveryUpdates > 0) _nextEvaluationAt = (_state.Updates / _setup.EvaluateEveryUpdates + 1) * _setup.EvaluateEveryUpdates;
        if (_setup.EvaluateEverySeconds > 0) _nextEvaluationSeconds = TrainingSeconds + _setup.EvaluateEverySeconds;
        _setup.Evaluator.Tell(new EvaluateParameters(_state.Updates, Final: false));
    }

    private double TrainingSeconds => _state.TrainingSecondsBefore + _clock.TrainingSeconds;

    /// <summary>
    /// Training is over (every micro-batch done, or stopped and drained): the final evaluation, after early-stopping's
    /// restore-best has every shard go back to the best checkpoint when it is on.
    /// </summary>
    private void EndTraining()
    {
        if (_finalRequested || _restoringBest) return;
        if (_state.Stopped is { Source: LearningRateChanged.Policy } && _setup.Control.Policies.Stopping?.RestoreBest == true && _state.BestCheckpoint is { } best)
        {
            _restoringBest = true;
            _rollbacks.RestoreBest(best, restored =>
            {
                if (restored) _restoredBest = best.CheckpointId;
                RequestFinalEvaluation();
            });
            return;
        }
        RequestFinalEvaluation();
    }

    private bool _restoringBest;
    private long _restoredBest;

    private void RequestFinalEvaluation()
    {
        if (_finalRequested) return;
        _clock.TrainingOver();
        _finalRequested = true;
        Timers.Cancel(ProgressTimer);
        _setup.Observer.Tell(_clock.Tick(_setup.Plan, _state));
        AskForTheFinalReport();
        Timers.StartPeriodicTimer(FinalReportTimer, FinalReportDue.Instance, FinalReportResendAfter);
    }

    /// <summary>
    /// Asks the evaluator for the final evaluation and the shards for their statistics, again every few seconds for what has
    /// not answered: a lost request or answer used to leave the job waiting forever at its very end (found by the chaos
    /// soak: pulls dropped as the final evaluation began).
    /// </summary>
    private void AskForTheFinalReport()
    {
        if (_final is null) _setup.Evaluator.Tell(new EvaluateParameters(_state.Updates, Final: true));
        for (var s = 0; s < _setup.Shards.Count; s++)
            if (_statistics.All(r => r.ShardId != s)) _setup.Shards[s].Tell(new ReportStatistics(s));
        if (_final != null && _statistics.Count >= _setup.Shards.Count) Timers.Cancel(FinalReportTimer);
    }

    private void Handle(ParametersEvaluated evaluated)
    {
        if (!evaluated.Final)
        {
            _evaluating = false;
            if (_rollbacks.Holds || _state.Rollbacks.Count > 0 && evaluated.Updates > _state.Updates) return; // of weights a rollback undid
            _lastEvaluation = evaluated;
            _setup.Observer.Tell(evaluated);
            _control.Evaluated(evaluated);
            if (_control.StoppedAndDrained) EndTraining();
            else EvaluateIfDue();
            return;
        }
        if (_final != null) return; // the final evaluation asked for again (see AskForTheFinalReport) answered twice
        _final = evaluated;
        _history.FinalWeights(evaluated.WeightsSha256, stoppedEarly: _state.Stopped != null);
        var done = new TrainingCompleted(_state.Updates);
        var waiting = _waiting.Select(w => w.Worker).ToList();
        _journal.AfterDurable(() => waiting.ForEach(w => w.Tell(done)));
        _waiting.Clear();
        CompleteWhenReported();
    }

    /// <summary>
    /// The job is complete once the final evaluation and every shard's statistics are in, and every decision is durable
    /// (the last commits' included: the run's history records them once they are).
    /// </summary>
    private void CompleteWhenReported()
    {
        if (_final is null || _statistics.Count < _setup.Shards.Count) return;
        var report = JobReport.Completed(_setup.Plan.Epochs, _state, _clock.WallSeconds, TrainingSeconds, _final, _statistics, ModeName)
            with { StoppedEarly = _state.Stopped?.Reason, Resumable = _state.Stopped?.Source == LearningRateChanged.Ctl, BestCheckpoint = _state.BestCheckpoint,
                RateChanges = _state.RateChanges.Count == 0 ? null : [.. _state.RateChanges],
                Diverged = _state.Stopped?.Source == LearningRateChanged.Divergence ? _state.Stopped.Reason : null,
                Rollbacks = _state.Rollbacks.Count == 0 ? null : [.. _state.Rollbacks], NonFiniteRefused = _statistics.Sum(s => s.NonFiniteRefused),
                RestoredBest = _restoredBest };
        _journal.AfterDurable(() => _setup.Observer.Tell(report));
    }

    /// <summary>The mode in force, as users write it: the last live change's, or the one the job started in.</summary>
    private string ModeName => _state.Mode?.Description ?? ConsistencyModes.Describe(_setup.Mode, _setup.Staleness, _setup.InnerSteps);

    /// <summary>A live switch (<see cref="LiveModeSwitch"/>), carried out by <see cref="ModeSwitcher"/>.</summary>
    private void Handle(ChangeMode change)
    {
        var mode = change.Mode.ToLowerInvariant();
        var problem = _finalRequested ? "the job has finished"
            : LiveModeSwitch.Refusal(_state.ModeInForce, mode, change.Staleness, change.InnerSteps, _switch.PendingDescription);
        if (problem != null) Sender.Tell(new ModeChangeRejected(problem));
        else _switch.Begin(mode, change.Staleness, change.InnerSteps, Sender);
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

    private void Handle(ClusterEvent.UnreachableMember unreachable)
    {
        foreach (var (worker, workerId) in _workers.Where(w => w.Key.Path.Address.Equals(unreachable.Member.Address)).ToList())
            Remove(worker, workerId, "unreachable", returned => _log.Warning("worker {0}'s node {1} is unreachable; {2} micro-batch(es) it held go out again",
                workerId, unreachable.Member.Address, returned));
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
        ActorTrainMetrics.LiveWorkers(_workers.Values.Distinct().Count());
        _waiting.RemoveAll(w => w.Worker.Equals(worker));
        if (_workers.ContainsValue(workerId))
        {
            then(0); // an old reference of a worker that has since come back under a new one: what it holds is the new one's
            return;
        }
        foreach (var shard in _setup.Shards) shard.Tell(new WorkerLeft(workerId));
        var returned = _state.Ledger.HeldBy(workerId);
        _history.Reissued(returned, $"worker {workerId} {reason}");
        Record(new WorkerReleased(workerId, reason), _ => then(returned.Count));
        ServeWaiting();
    }

    private void ServeWaiting()
    {
        foreach (var waiting in _waiting.ToList())
            if (TryServe(waiting.Worker, waiting.Request)) _waiting.Remove(waiting);
    }

    /// <summary>
    /// The journal refused a batch (it could not store it, e.g. could not serialize it), and Akka.Persistence goes on
    /// without running what waited for it: the decisions in it are applied here but not durable, and the journal would
    /// wait for that write forever. Stop, as a failed write does, so the supervisor starts the coordinator again from
    /// what is durable; what the batch held was never told (commits are resent by their workers, assignments go out again).
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _log.Error(cause, "the journal rejected coordinator entry #{0} ({1}); the coordinator stops and starts again from its journal",
            sequenceNr, cause.Message);
        Context.Stop(Self);
    }

    private sealed class ProgressTick : INoSerializationVerificationNeeded
    {
        public static readonly ProgressTick Instance = new();
    }

    /// <summary>Starts or stops asking again the shards that owe a live switch its answer (<see cref="ModeSwitcher.Resend"/>).</summary>
    private void ResendModeSwitch(bool on)
    {
        if (on) Timers.StartPeriodicTimer(ModeSwitchResendTimer, ModeSwitchResendDue.Instance, ModeSwitcher.ResendInterval);
        else Timers.Cancel(ModeSwitchResendTimer);
    }

    private sealed class ModeSwitchResendDue : INoSerializationVerificationNeeded
    {
        public static readonly ModeSwitchResendDue Instance = new();
    }

    private sealed class FinalReportDue : INoSerializationVerificationNeeded
    {
        public static readonly FinalReportDue Instance = new();
    }

    private sealed class JournalWriteDue : INoSerializationVerificationNeeded
    {
        public static readonly JournalWriteDue Instance = new();
    }
}
