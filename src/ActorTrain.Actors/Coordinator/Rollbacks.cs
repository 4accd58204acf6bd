using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Divergence;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// Divergence handling (<c>actortrain.policy.divergence</c>): the committed micro-batches go to a
/// <see cref="DivergenceWatch"/> (pure, in Core); in BSP step by step, each step's in index order once it is whole, so that
/// every run with the same seed judges the same reports in the same order. On divergence it persists
/// <see cref="RolledBack"/>: back to the newest kept complete checkpoint at or before the trouble's start, the trouble's
/// micro-batches skipped, the workers' incarnations fenced; training control adds the rate factor. Then every shard goes
/// back to that checkpoint (<see cref="RestoreCheckpoint"/>, asked again until answered), and once all have it durably,
/// <see cref="RollbackCompleted"/> is persisted and the workers start again (<see cref="RollBackWork"/>). Nothing goes out
/// in between (<see cref="Holds"/>). A divergence past max-rollbacks stops the run instead. A recovered coordinator
/// finishes a rollback under way; its watch starts again empty (detection in progress is not persisted, decisions are).
/// </summary>
internal sealed class Rollbacks
{
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(3);

    private readonly CoordinatorSetup _setup;
    private readonly Func<CoordinatorState> _state;
    private readonly Action<ICoordinatorEvent, Action?> _record;
    private readonly CoordinatorHistory _history;
    private readonly Func<IReadOnlyDictionary<IActorRef, string>> _workers;
    private readonly Action<RolledBack> _rolledBack;
    private readonly Action<string> _stop;
    private readonly Action _released;
    private readonly Func<long, bool> _awaited;
    private readonly ILoggingAdapter _log;

    /// <summary>A divergence decided while the checkpoint to go back to was not yet complete: it waits for it.</summary>
    private (DivergenceVerdict Verdict, long Update)? _deferred;

    /// <summary>early-stopping's restore-best under way: the shards go back to the best checkpoint, then <c>Then</c> runs.</summary>
    private (BestCheckpointMarked Best, int Rollback, Action<bool> Then)? _best;
    private readonly HashSet<int> _unconfirmed = [];
    private readonly SortedDictionary<long, SortedDictionary<int, DivergenceReport?>> _steps = [];
    private DivergenceWatchState _watch = DivergenceWatchState.Initial;
    private long _nextStep;
    private ConsistencyMode _watchedMode;
    private bool _suspectLogged;
    private DateTime _lastSent = DateTime.MinValue;

    /// <param name="rolledBack">Called once a rollback is applied to the state: training control adds the factor and replays.</param>
    /// <param name="stop">Called with the reason when the run diverges past max-rollbacks.</param>
    /// <param name="released">Called when a rollback is over: serve those waiting.</param>
    /// <param name="awaited">Whether a checkpoint in progress (by id) still waits for its shards (not refused or given up on).</param>
    public Rollbacks(CoordinatorSetup setup, Func<CoordinatorState> state, Action<ICoordinatorEvent, Action?> record, CoordinatorHistory history,
        Func<IReadOnlyDictionary<IActorRef, string>> workers, Action<RolledBack> rolledBack, Action<string> stop, Action released, Func<long, bool> awaited,
        ILoggingAdapter log)
    {
        _awaited = awaited;
        _setup = setup;
        _state = state;
        _record = record;
        _history = history;
        _workers = workers;
        _rolledBack = rolledBack;
        _stop = stop;
        _released = released;
        _log = log;
    }

    private DivergenceSettings Settings => _setup.Control.Divergence;

    private DivergenceWatch? Watch => Settings.Watch;

    private CoordinatorState State => _state();

    /// <summary>A rollback is under way or waits for its checkpoint: nothing goes out until every shard is back at it.</summary>
    public bool Holds => State.RollingBack != null || _deferred != null;

    /// <summary>Whether a request for work comes from an incarnation a rollback fenced (it is told to start again instead).</summary>
    public RollBackWork? Fenced(string workerId, long incarnation)
    {
        var last = State.Rollbacks.Count > 0 ? State.Rollbacks[^1] : null;
        return last != null && last.Fenced.TryGetValue(workerId, out var fenced) && incarnation <= fenced ? new RollBackWork(last.Rollback, fenced) : null;
    }

    /// <summary>The coordinator recovered: the watch starts again, and a rollback under way is carried on.</summary>
    public void Recovered()
    {
        Reset();
        if (State.RollingBack is { } rolling) RestoreShards(rolling);
    }

    /// <summary>A micro-batch was committed (and applied to the state): it is judged, in BSP once its step is whole.</summary>
    public void Committed(MicroBatchCommitted committed)
    {
        if (Watch is null || Holds) return;
        var state = State;
        if (state.ModeInForce != _watchedMode) Reset();
        var id = new MicroBatchId(committed.Epoch, committed.MicroBatch);
        var skippedByRollback = committed.Skipped != null && state.Ledger.SkipReasonOf(id) != null;
        var report = skippedByRollback ? null : ReportOf(committed, id, state);
        if (state.ModeInForce != ConsistencyMode.Bsp)
        {
            if (report != null) Judge(report);
            return;
        }
        var plan = _setup.Plan;
        var step = plan.StepOf(id);
        if (step < _nextStep) return; // of a step partly committed before this watch started
        if (!_steps.TryGetValue(step, out var reports)) _steps[step] = reports = [];
        reports[id.Index] = report;
        while (_steps.TryGetValue(_nextStep, out var whole) && whole.Count == plan.MicroBatchesInStep(_nextStep))
        {
            _steps.Remove(_nextStep);
            _nextStep++;
            foreach (var r in whole.Values)
                if (r != null && Judge(r)) return;
        }
    }

    private DivergenceReport ReportOf(MicroBatchCommitted c, MicroBatchId id, CoordinatorState state)
    {
        // BSP: the update the step's weights stand at (the loss was computed on them); elsewhere the count now.
        var update = state.ModeInForce == ConsistencyMode.Bsp ? _setup.Plan.StepOf(id) + state.UpdateOffset : state.Updates;
        var loss = c.Skipped != null || c.Samples == 0 ? double.NaN : (double)c.LossSum / c.Samples;
        return new DivergenceReport(id, update, DateTimeOffset.UtcNow, loss, c.GradientNorm);
    }

    /// <summary>Judges one report; true when it started a rollback (or stopped the run).</summary>
    private bool Judge(DivergenceReport report)
    {
        (_watch, var verdict) = Watch!.Observe(_watch, report);
        if (!verdict.Suspect)
        {
            _suspectLogged = false;
            return false;
        }
        if (!verdict.Diverged)
        {
            if (!_suspectLogged && verdict.Window.Count == 1) _log.Info("divergence suspected at update {0}: {1}", report.Update, verdict.Reason);
            _suspectLogged = true;
            return false;
        }
        Diverged(verdict, report.Update);
        return true;
    }

    private void Diverged(DivergenceVerdict verdict, long update)
    {
        var state = State;
        if (state.Rollbacks.Count >= Settings.MaxRollbacks)
        {
            var reason = $"training diverged again after {state.Rollbacks.Count} rollback(s), the most max-rollbacks ({Settings.MaxRollbacks}) allows: {verdict.Reason}";
            _log.Error("{0}", reason);
            Reset();
            _stop(reason);
            return;
        }
        var bsp = state.ModeInForce == ConsistencyMode.Bsp;
        // Outside BSP a push may be applied a little after its commit was counted: one update per worker of margin.
        var before = bsp ? verdict.TroubleStartedAt : verdict.TroubleStartedAt - Math.Max(1, state.Members.Count);
        var kept = state.RecentCheckpoints.TakeLast(Settings.KeepCheckpoints).ToList();
        var target = kept.LastOrDefault(c => c.Started.Updates <= before);
        // A newer fitting checkpoint still being written is waited for: which one a rollback goes to must not depend on
        // how fast the store is (in BSP the same seed then rolls back the same way every time).
        var pending = state.CheckpointsInProgress.Where(c => c.Updates <= before && c.Updates > (target?.Started.Updates ?? -1) && _awaited(c.Id))
            .MaxBy(c => c.Updates);
        if (pending != null)
        {
            if (_deferred is null)
                _log.Warning("training diverged at update {0} ({1}); the rollback waits for checkpoint {2} at update {3} to be complete", update,
                    verdict.Reason, pending.Id, pending.Updates);
            _deferred = (verdict, update);
            return;
        }
        _deferred = null;
        var skipped = bsp ? WholeSteps(verdict.Window) : verdict.Window.Distinct().Order().ToList();
        var rollback = new RolledBack(state.Rollbacks.Count + 1, target?.Started.Id ?? 0, target?.Started.Updates ?? 0, Settings.Factor,
            [.. skipped.Select(CoordinatorState.RefOf)], verdict.Reason, update, new Dictionary<string, long>(state.Incarnations));
        _log.Warning("training diverged at update {0} ({1}); rollback {2} to {3}, learning rate ×{4:g4}, {5} micro-batch(es) skipped", update, verdict.Reason,
            rollback.Rollback, target is null ? "the start (no kept checkpoint is older than the trouble)" : $"checkpoint {target.Started.Id} at update {target.Started.Updates}",
            rollback.Factor, skipped.Count);
        _record(rollback, () =>
        {
            _history.RolledBack(target);
            _setup.Observer.Tell(rollback);
            RestoreShards(rollback);
        });
        Reset(); // at the checkpoint's step
        _rolledBack(rollback);
    }

    /// <summary>BSP: every micro-batch of the steps the window touches, so each step stays whole and the skip is the same on every run.</summary>
    private List<MicroBatchId> WholeSteps(IReadOnlyList<MicroBatchId> window)
    {
        var plan = _setup.Plan;
        var steps = window.Select(plan.StepOf).Distinct().Order();
        var ids = new List<MicroBatchId>();
        foreach (var step in steps)
        {
            var epoch = (int)(step / plan.StepsPerEpoch);
            var first = (int)(step % plan.StepsPerEpoch) * plan.MicroBatchesPerStep;
            for (var i = 0; i < plan.MicroBatchesInStep(step); i++) ids.Add(new MicroBatchId(epoch, first + i));
        }
        return ids;
    }

    private void RestoreShards(RolledBack rollback)
    {
        _unconfirmed.Clear();
        for (var s = 0; s < _setup.Shards.Count; s++) _unconfirmed.Add(s);
        Send(new RestoreCheckpointOf(rollback.CheckpointId, rollback.Rollback, rollback.Fenced));
    }

    /// <summary>What every shard is asked to go back to: a checkpoint, under a rollback number, with the incarnations fenced.</summary>
    private sealed record RestoreCheckpointOf(long CheckpointId, int Rollback, IReadOnlyDictionary<string, long> Fenced);

    private RestoreCheckpointOf? _sending;

    private void Send(RestoreCheckpointOf restore)
    {
        _sending = restore;
        _lastSent = DateTime.UtcNow;
        foreach (var s in _unconfirmed) _setup.Shards[s].Tell(new RestoreCheckpoint(s, restore.CheckpointId, restore.Rollback, restore.Fenced));
    }

    /// <summary>A checkpoint was recorded, refused or given up on: a rollback waiting for one goes on.</summary>
    public void CheckpointsChanged()
    {
        if (_deferred is { } deferred) Diverged(deferred.Verdict, deferred.Update);
        if (_best is { Rollback: 0 } waiting) RestoreBest(waiting.Best, waiting.Then);
    }

    /// <summary>
    /// early-stopping with restore-best stopped the run: every shard goes back to <paramref name="best"/> (once it is
    /// complete; a best checkpoint refused or given up on is not), then <paramref name="then"/> runs the final evaluation,
    /// told whether the shards went back.
    /// Not persisted: a coordinator recovered meanwhile asks again, and a shard that already went back answers as for a repeat.
    /// </summary>
    public void RestoreBest(BestCheckpointMarked best, Action<bool> then)
    {
        var state = State;
        if (!state.BestCheckpointComplete)
        {
            if (_awaited(best.CheckpointId))
            {
                _best = (best, 0, then); // waits for it (CheckpointsChanged)
                return;
            }
            _log.Warning("restore-best: the best checkpoint {0} never completed; the run ends with the weights it stopped at", best.CheckpointId);
            _best = null;
            then(false);
            return;
        }
        _log.Info("restore-best: every shard goes back to checkpoint {0} at update {1} ({2} {3:g6}) before the final evaluation", best.CheckpointId,
            best.Updates, best.Metric, best.Value);
        _best = (best, state.Rollbacks.Count + 1, then);
        _unconfirmed.Clear();
        for (var s = 0; s < _setup.Shards.Count; s++) _unconfirmed.Add(s);
        Send(new RestoreCheckpointOf(best.CheckpointId, state.Rollbacks.Count + 1, new Dictionary<string, long>(state.Incarnations)));
    }

    /// <summary>The coordinator's tick: shards that have not answered are asked again.</summary>
    public void Tick()
    {
        CheckpointsChanged();
        if ((State.RollingBack != null || _best is { Rollback: > 0 }) && _sending != null && _unconfirmed.Count > 0 && DateTime.UtcNow - _lastSent >= ResendInterval)
            Send(_sending);
    }

    public void Confirmed(ShardRolledBack answer)
    {
        if (_best is { Rollback: > 0 } best && answer.Rollback == best.Rollback)
        {
            if (!answer.Durable || !_unconfirmed.Remove(answer.ShardId) || _unconfirmed.Count > 0) return;
            _log.Info("restore-best: every shard is back at checkpoint {0}", best.Best.CheckpointId);
            _best = null;
            _sending = null;
            best.Then(true);
            return;
        }
        if (State.RollingBack is not { } rolling || answer.Rollback != rolling.Rollback) return;
        if (!answer.Durable || !_unconfirmed.Remove(answer.ShardId) || _unconfirmed.Count > 0) return;
        _sending = null;
        _record(new RollbackCompleted(rolling.Rollback), () =>
        {
            _log.Info("rollback {0} complete: every shard is back at checkpoint {1} (update {2}); training goes on", rolling.Rollback, rolling.CheckpointId,
                rolling.Updates);
            foreach (var (worker, workerId) in _workers())
                if (rolling.Fenced.TryGetValue(workerId, out var incarnation)) worker.Tell(new RollBackWork(rolling.Rollback, incarnation));
        });
        _released();
    }

    /// <summary>
    /// Starts the watch again; in BSP at the next step to complete, or past every step begun when some are (a recovered
    /// coordinator: their earlier commits are not in this watch, and judging them in part would depend on timing).
    /// </summary>
    private void Reset()
    {
        var state = State;
        _watch = DivergenceWatchState.Initial;
        _steps.Clear();
        _watchedMode = state.ModeInForce;
        _suspectLogged = false;
        var next = state.Updates - state.UpdateOffset;
        foreach (var step in state.StepsPartlyCommitted) next = Math.Max(next, step + 1);
        foreach (var id in state.Ledger.Outstanding) next = Math.Max(next, _setup.Plan.StepOf(id) + 1);
        _nextStep = next;
    }
}
