using System.Diagnostics;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator role, one per job: owns the data ledger, hands micro-batches to workers, takes back what a
/// lost worker held, counts updates, asks for evaluations, and reports progress and the final result to the
/// job's observer.
/// </summary>
public sealed class JobCoordinator : ReceiveActor, IWithTimers
{
    private const string ProgressTimer = "progress";

    private readonly CoordinatorSetup _setup;
    private readonly DataLedger _ledger;
    private readonly UpdateCounter _updates;
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
    private readonly Dictionary<string, long> _microBatchesByWorker = [];
    private readonly Dictionary<string, long> _incarnations = [];
    private string _modeName;
    private int _innerSteps;
    private double _lossSinceTick;
    private long _samplesSinceTick;
    private long _samples;
    private TimeSpan _lastTick;
    private TimeSpan _trainingTime;

    public JobCoordinator(CoordinatorSetup setup)
    {
        _setup = setup;
        _ledger = new DataLedger(setup.Plan);
        _updates = new UpdateCounter(setup.Plan, setup.Mode);
        _nextEvaluationAt = setup.EvaluateEveryUpdates > 0 ? setup.EvaluateEveryUpdates : long.MaxValue;
        _innerSteps = setup.InnerSteps;
        _modeName = ConsistencyModes.Describe(setup.Mode, setup.Staleness, setup.InnerSteps);
        Receive<RequestWork>(Handle);
        Receive<BatchCompleted>(Handle);
        Receive<ParametersEvaluated>(Handle);
        Receive<ShardStatistics>(statistics =>
        {
            _statistics.Add(statistics);
            CompleteWhenReported();
        });
        Receive<Terminated>(Handle);
        Receive<HandBackWork>(Handle);
        Receive<ClusterEvent.UnreachableMember>(Handle);
        Receive<ChangeMode>(Handle);
        Receive<ProgressTick>(_ => ReportProgress());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorSetup setup) => Akka.Actor.Props.Create(() => new JobCoordinator(setup));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(ProgressTimer, ProgressTick.Instance, _setup.ProgressInterval);
        // In a cluster, a worker's node that stops answering has its micro-batches re-issued at once, before it is
        // downed: a false alarm costs a little duplicate work (completions are idempotent), a real one costs no wait.
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.IClusterActorRefProvider })
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
    }

    private void Handle(RequestWork request)
    {
        if (!_clock.IsRunning) _clock.Start();
        var known = _incarnations.GetValueOrDefault(request.WorkerId);
        if (request.Incarnation < known) return; // from an incarnation that has since been replaced
        if (request.Incarnation > known)
        {
            _incarnations[request.WorkerId] = request.Incarnation;
            // A new incarnation under a known id (a restarted worker): what the old one held goes out again.
            var returned = known == 0 ? [] : _ledger.Release(request.WorkerId);
            if (returned.Count > 0) _log.Warning("worker {0} restarted (incarnation {1}); {2} micro-batch(es) it held go out again",
                request.WorkerId, request.Incarnation, returned.Count);
        }
        if (_workers.TryAdd(Sender, request.WorkerId))
        {
            Context.Watch(Sender);
            _log.Info("worker {0} (incarnation {1}) joined", request.WorkerId, request.Incarnation);
        }
        if (TryServe(Sender, request)) return;
        // A worker in a local round would wait for work to fill it: tell it there is none, so it pushes what it has.
        Sender.Tell(new WorkRequestDeferred(_ledger.OutstandingCount));
        _waiting.RemoveAll(w => w.Worker.Equals(Sender)); // a repeated request (the worker's retry) waits once
        _waiting.Add((Sender, request));
    }

    private bool TryServe(IActorRef worker, RequestWork request)
    {
        if (_final != null)
        {
            worker.Tell(new TrainingCompleted(_updates.Updates));
            return true;
        }
        var assignment = _ledger.TryAssign(request.WorkerId);
        if (assignment is null) return false;
        worker.Tell(new WorkAssigned(assignment.MicroBatch.Epoch, assignment.MicroBatch.Index, assignment.Step,
            assignment.IndexInStep, assignment.MicroBatchesInStep, assignment.SampleIndices));
        return true;
    }

    private void Handle(BatchCompleted done)
    {
        var id = new MicroBatchId(done.Epoch, done.MicroBatch);
        var outcome = _ledger.Complete(done.WorkerId, id);
        Sender.Tell(new BatchCommitted(done.Epoch, done.MicroBatch));
        if (outcome is not (CompletionOutcome.Completed or CompletionOutcome.CompletedEpoch))
        {
            _log.Warning("ignored completion of {0} by {1}: {2}", id, done.WorkerId, outcome);
            return;
        }
        _updates.Committed(id, done.CompletesUpdate);
        _microBatchesByWorker[done.WorkerId] = _microBatchesByWorker.GetValueOrDefault(done.WorkerId) + 1;
        _samples += done.Samples;
        _samplesSinceTick += done.Samples;
        _lossSinceTick += done.LossSum;
        if (outcome == CompletionOutcome.CompletedEpoch) _log.Info("epoch {0} completed after {1} updates", done.Epoch + 1, _updates.Updates);
        if (_ledger.IsFinished) RequestFinalEvaluation();
        else if (_updates.Updates >= _nextEvaluationAt && !_evaluating)
        {
            _evaluating = true;
            _nextEvaluationAt = (_updates.Updates / _setup.EvaluateEveryUpdates + 1) * _setup.EvaluateEveryUpdates;
            _setup.Evaluator.Tell(new EvaluateParameters(_updates.Updates, Final: false));
        }
    }

    private void RequestFinalEvaluation()
    {
        if (_finalRequested) return;
        _finalRequested = true;
        _trainingTime = _clock.Elapsed;
        Timers.Cancel(ProgressTimer);
        ReportProgress();
        _setup.Evaluator.Tell(new EvaluateParameters(_updates.Updates, Final: true));
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
        foreach (var (worker, _) in _waiting) worker.Tell(new TrainingCompleted(_updates.Updates));
        _waiting.Clear();
        CompleteWhenReported();
    }

    /// <summary>The job is complete once the final evaluation and every shard's statistics are in.</summary>
    private void CompleteWhenReported()
    {
        if (_final is null || _statistics.Count < _setup.Shards.Count) return;
        var applied = StalenessHistogram.From([]);
        var gaps = StalenessHistogram.From([]);
        foreach (var s in _statistics)
        {
            applied = applied.Merge(StalenessHistogram.From(s.AppliedStaleness));
            gaps = gaps.Merge(StalenessHistogram.From(s.ClockGapAtPull));
        }
        _setup.Observer.Tell(new JobCompleted(_setup.Plan.Epochs, _updates.Updates, _samples, _clock.Elapsed.TotalSeconds, _final,
            _ledger.ReissuedMicroBatches, _trainingTime.TotalSeconds, [.. applied.Counts], [.. gaps.Counts],
            new Dictionary<string, long>(_microBatchesByWorker), _modeName, _statistics.ToDictionary(s => s.ShardId, s => s.Node),
            _statistics.Sum(s => s.Snapshots), _statistics.Sum(s => s.SnapshotFailures)));
    }

    /// <summary>
    /// Live switches among ASP, SSP(s), local SGD(H) and DiLoCo(H) (<see cref="LiveModeSwitch"/>): all apply pushes on
    /// arrival, so shards and workers can change at any moment. BSP is chosen when the job starts.
    /// </summary>
    private void Handle(ChangeMode change)
    {
        var mode = change.Mode.ToLowerInvariant();
        var problem = _final != null ? "the job has finished" : LiveModeSwitch.Refusal(_setup.Mode, mode, change.Staleness, change.InnerSteps);
        if (problem != null)
        {
            Sender.Tell(new ModeChangeRejected(problem));
            return;
        }
        if (change.InnerSteps > 0) _innerSteps = change.InnerSteps;
        var set = new SetConsistency(mode, change.Staleness, _innerSteps);
        foreach (var shard in _setup.Shards) shard.Tell(set);
        foreach (var worker in _workers.Keys) worker.Tell(set);
        _modeName = ConsistencyModes.Describe(set.Consistency, change.Staleness, _innerSteps);
        var changed = new ModeChanged(mode, change.Staleness, _updates.Updates, _innerSteps);
        _log.Info("mode changed to {0} at update {1}", _modeName, _updates.Updates);
        Sender.Tell(changed);
        _setup.Observer.Tell(changed);
    }

    /// <summary>A worker leaving gracefully: it committed what it started; what it still holds goes to others now.</summary>
    private void Handle(HandBackWork handBack)
    {
        if (handBack.Incarnation != _incarnations.GetValueOrDefault(handBack.WorkerId))
        {
            Sender.Tell(new WorkHandedBack(0)); // an older incarnation: the newer one holds (or already returned) its work
            return;
        }
        Context.Unwatch(Sender);
        var returned = Remove(Sender, handBack.WorkerId);
        _log.Info("worker {0} left gracefully and handed back {1} micro-batch(es)", handBack.WorkerId, returned);
        Sender.Tell(new WorkHandedBack(returned));
    }

    private void Handle(ClusterEvent.UnreachableMember unreachable)
    {
        foreach (var (worker, workerId) in _workers.Where(w => w.Key.Path.Address.Equals(unreachable.Member.Address)).ToList())
        {
            var returned = Remove(worker, workerId);
            _log.Warning("worker {0}'s node {1} is unreachable; {2} micro-batch(es) it held go out again", workerId, unreachable.Member.Address, returned);
        }
    }

    private void Handle(Terminated terminated)
    {
        if (!_workers.TryGetValue(terminated.ActorRef, out var workerId)) return;
        var returned = Remove(terminated.ActorRef, workerId);
        if (returned > 0) _log.Warning("worker {0} is gone; {1} micro-batch(es) it held go out again", workerId, returned);
        else _log.Info("worker {0} left", workerId);
    }

    /// <summary>Forgets a worker, returns what it held to the ledger and serves the waiting; gives the count returned.</summary>
    private int Remove(IActorRef worker, string workerId)
    {
        _workers.Remove(worker);
        _waiting.RemoveAll(w => w.Worker.Equals(worker));
        foreach (var shard in _setup.Shards) shard.Tell(new WorkerLeft(workerId));
        var returned = _ledger.Release(workerId);
        foreach (var waiting in _waiting.ToList())
            if (TryServe(waiting.Worker, waiting.Request)) _waiting.Remove(waiting);
        return returned.Count;
    }

    private void ReportProgress()
    {
        var now = _clock.Elapsed;
        var seconds = (now - _lastTick).TotalSeconds;
        var progress = new JobProgressed(
            Math.Min(_ledger.CurrentEpoch + 1, _setup.Plan.Epochs),
            _updates.Updates,
            _updates.Updates,
            _ledger.CompletedMicroBatches,
            _setup.Plan.TotalMicroBatches,
            _samplesSinceTick > 0 ? _lossSinceTick / _samplesSinceTick : double.NaN,
            seconds > 0 ? _samplesSinceTick / seconds : 0,
            now.TotalSeconds,
            _ledger.ReissuedMicroBatches);
        _lastTick = now;
        _lossSinceTick = 0;
        _samplesSinceTick = 0;
        _setup.Observer.Tell(progress);
    }

    private sealed class ProgressTick : INoSerializationVerificationNeeded
    {
        public static readonly ProgressTick Instance = new();
    }
}
