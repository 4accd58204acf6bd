using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Hyperparameters.Policies;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's training control: it judges each evaluation with the job's policies (<see cref="TrainingPolicies"/>,
/// pure, in Core), persists what they decide (<see cref="EvaluationRecorded"/>, <see cref="LearningRateChanged"/>,
/// <see cref="EarlyStopped"/>) and the changes a person makes (<c>actortrain ctl</c>), and hands every shard the list of
/// rate changes (<see cref="SetLearningRates"/>). Its state is the coordinator's (<see cref="CoordinatorState"/>), so a
/// recovered coordinator, a failover and a resume replay the policies to where they were (<see cref="Recovered"/>).
/// <para>
/// BSP with a policy and update-count evaluations is exact (<see cref="Exact"/>): nothing of the steps after an evaluation
/// boundary goes out (<see cref="Holds"/>) until that evaluation is judged and every shard holds the resulting list, so
/// the evaluation sees exactly the boundary's weights and a change applies from exactly that update, whatever the timing
/// and the faults. Other modes do not wait: a change applies from the update count at which it is made.
/// </para>
/// </summary>
internal sealed class TrainingControl
{
    /// <summary>The whole list goes to every shard this often besides when it grows: a shard restarted from an older snapshot gets it back.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(3);

    private readonly CoordinatorSetup _setup;
    private readonly Func<CoordinatorState> _state;
    private readonly Action<ICoordinatorEvent, Action?> _record;
    private readonly Action _released;
    private readonly Action<Evaluation, string, double> _best;
    private readonly ILoggingAdapter _log;
    private readonly HashSet<int> _unconfirmed = [];
    private PolicyState _policy;
    private DateTime _lastSent = DateTime.MinValue;

    /// <param name="record">Applies an event and journals it; the action runs once it is durable.</param>
    /// <param name="released">Called when something that held micro-batches back is over: serve those waiting.</param>
    /// <param name="best">Called with an evaluation that is the best so far by the watched metric: checkpoint it.</param>
    public TrainingControl(CoordinatorSetup setup, Func<CoordinatorState> state, Action<ICoordinatorEvent, Action?> record, Action released,
        Action<Evaluation, string, double> best, ILoggingAdapter log)
    {
        _best = best;
        _setup = setup;
        _state = state;
        _record = record;
        _released = released;
        _log = log;
        _policy = Policies.Start;
    }

    private TrainingPolicies Policies => _setup.Control.Policies;

    private LearningRateSchedule Schedule => _setup.Control.Schedule;

    private CoordinatorState State => _state();

    /// <summary>BSP with a policy and update-count evaluations: decisions are made at exact step boundaries.</summary>
    public bool Exact => Policies.Any && _setup.EvaluateEveryUpdates > 0 && State.ModeInForce == ConsistencyMode.Bsp;

    /// <summary>Exact: the update count of the next evaluation a decision is owed for (a multiple of every-updates past the last judged).</summary>
    public long NextBoundary
    {
        get
        {
            var every = _setup.EvaluateEveryUpdates;
            var last = State.Evaluations.Count > 0 ? State.Evaluations[^1].Update : 0;
            return (last / every + 1) * every;
        }
    }

    /// <summary>Whether the coordinator should ask for an evaluation now.</summary>
    public bool EvaluationDue => Exact && !State.Ledger.IsFinished && State.Stopped is null && State.Updates >= NextBoundary;

    /// <summary>Training stopped early and nothing is out any more: the final evaluation may run.</summary>
    public bool StoppedAndDrained => State.Stopped != null && State.Ledger.OutstandingCount == 0;

    /// <summary>The rate the shards apply at <paramref name="update"/> with the changes persisted so far.</summary>
    public double RateAt(long update) => new EffectiveLearningRate(Schedule, State.RateChanges.Select(c => c.Change)).At(update);

    /// <summary>The coordinator recovered (or resumed): its policies replay to where they were, and every shard gets the list.</summary>
    public void Recovered()
    {
        ReplayPolicies();
        if (State.Evaluations.Count > 0 || State.RateChanges.Count > 0)
            _log.Info("training control: {0} evaluation(s) judged, {1} learning-rate change(s); the rate is {2:g6} at update {3}",
                State.Evaluations.Count, State.RateChanges.Count, RateAt(State.Updates), State.Updates);
        SendToShards(all: true);
    }

    /// <summary>
    /// Whether <paramref name="next"/> must wait: training stopped or paused, or (exact) its step lies past an evaluation
    /// boundary not yet judged, or the shards do not all hold the newest list yet.
    /// </summary>
    public bool Holds(MicroBatchId next)
    {
        var state = State;
        // Stopped in BSP (a divergence past max-rollbacks may stop it mid-step): a step begun goes out whole, or it never ends.
        if (state.Stopped != null) return state.ModeInForce != ConsistencyMode.Bsp || !state.StepStarted(_setup.Plan.StepOf(next));
        // Paused in BSP: a step begun is handed out whole, so the run comes to rest at a step boundary.
        if (state.Paused && (state.ModeInForce != ConsistencyMode.Bsp || !state.StepStarted(_setup.Plan.StepOf(next)))) return true;
        if (_unconfirmed.Count > 0 && state.ModeInForce == ConsistencyMode.Bsp) return true;
        return Exact && _setup.Plan.StepOf(next) + state.UpdateOffset >= NextBoundary;
    }

    /// <summary>The policies' state from the persisted evaluations and changes (a recovery, a rollback).</summary>
    private void ReplayPolicies() => _policy = Policies.Replay([.. State.Evaluations.Select(e => e.Evaluation)], Schedule, KnownChanges());

    private IReadOnlyList<KnownChange> KnownChanges() => [.. State.RateChanges.Select(c => new KnownChange(c.Change, c.AfterEvaluations))];

    /// <summary>
    /// A validation result came in: the policies judge it (exact: only the boundary's), and what they decide is persisted,
    /// told to the shards and to the observer.
    /// </summary>
    public void Evaluated(ParametersEvaluated evaluated)
    {
        if (!Policies.Any || evaluated.Final || State.Stopped != null || State.Ledger.IsFinished) return;
        var exact = Exact;
        if (exact && evaluated.Updates < NextBoundary) return; // an evaluation asked for before the boundary (a repeat, or by time)
        var recorded = new EvaluationRecorded(evaluated.Updates, evaluated.Version, evaluated.ValidationLoss, evaluated.ValidationAccuracy,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var judged = Policies.Judge(_policy, recorded.Evaluation, Schedule, KnownChanges());
        _policy = judged.State;
        _record(recorded, null);
        if (IsBest(judged, recorded.Evaluation) is { } metric) _best(recorded.Evaluation, metric.Name, metric.Value);
        if (judged.Plateau is { } plateau) _log.Info("reduce-on-plateau: {0}", plateau.Reason);
        if (judged.Stop is { } stop) _log.Info("early-stopping: {0}", stop.Reason);

        // Exact: from the boundary's version (the shards stand there); otherwise from the update count now.
        var at = exact ? evaluated.Updates - State.UpdateOffset + State.StepOffset : State.Updates;
        if (judged.Plateau?.ChangeAt(at) is { } change)
            Change(new LearningRateChanged(change.AtUpdate, change.Value, change.Absolute, LearningRateChanged.Policy, judged.Plateau.Reason,
                judged.State.Evaluations, judged.Plateau.Rate), done: null);
        if (judged.Stops)
        {
            var stopped = new EarlyStopped(State.Updates, LearningRateChanged.Policy, judged.Stop!.Reason);
            _record(stopped, () => _setup.Observer.Tell(stopped));
        }
        if (exact && _unconfirmed.Count == 0) _released();
    }

    /// <summary>The watched metric's name and value when <paramref name="evaluation"/> is the new best (early stopping's metric, else the plateau's).</summary>
    private (string Name, double Value)? IsBest(PolicyJudgement judged, Evaluation evaluation)
    {
        if (Policies.Stopping is { } stopping)
            return judged.State.Stopping?.Best == evaluation ? (Evaluation.Describe(stopping.Metric), evaluation.Value(stopping.Metric)) : null;
        if (Policies.Plateau is { } plateau)
            return judged.State.Plateau?.BestEvaluation == evaluation ? (Evaluation.Describe(plateau.Metric), evaluation.Value(plateau.Metric)) : null;
        return null;
    }

    /// <summary><c>ctl set-lr</c> (<paramref name="absolute"/>) or <c>ctl scale-lr</c>: persisted, then told to the shards, and <paramref name="done"/> called.</summary>
    public void Set(double value, bool absolute, Action<LearningRateChanged> done)
    {
        var state = State;
        // In BSP, from the step after those already out (held until every shard has it); otherwise from now.
        var at = state.ModeInForce == ConsistencyMode.Bsp && state.Ledger.PeekNext() is { } next
            ? _setup.Plan.StepOf(next) + state.StepOffset + 1
            : state.Updates;
        var before = RateAt(at);
        var rate = absolute ? value : before * value;
        var reason = absolute ? $"actortrain ctl set-lr {value:g6} (was {before:g6})" : $"actortrain ctl scale-lr {value:g6}: {before:g6} → {rate:g6}";
        Change(new LearningRateChanged(at, value, absolute, LearningRateChanged.Ctl, reason, state.Evaluations.Count, rate), done);
    }

    /// <summary>
    /// A divergence rollback was applied to the state: the policies replay to the checkpoint's evaluations, and the rate is
    /// multiplied by the rollback's factor from the checkpoint's version on.
    /// </summary>
    public void RolledBack(RolledBack rollback)
    {
        ReplayPolicies();
        var at = State.LastCheckpoint?.Recorded.ShardVersions.Min() ?? 0;
        var rate = RateAt(at) * rollback.Factor;
        var reason = $"rollback {rollback.Rollback} (to checkpoint {rollback.CheckpointId}): ×{rollback.Factor:g4} after {rollback.Reason}";
        Change(new LearningRateChanged(at, rollback.Factor, false, LearningRateChanged.Divergence, reason, State.Evaluations.Count, rate), done: null);
    }

    private void Change(LearningRateChanged changed, Action<LearningRateChanged>? done)
    {
        _record(changed, () =>
        {
            _log.Info("learning rate {0:g6} from update {1}: {2}", changed.Rate, changed.AtUpdate, changed.Reason);
            _setup.Observer.Tell(changed);
            done?.Invoke(changed);
            SendToShards(all: true);
        });
        // Until the shards hold it, BSP hands out nothing more (see Holds); the list goes out once the change is durable.
        for (var s = 0; s < _setup.Shards.Count; s++) _unconfirmed.Add(s);
    }

    /// <summary>A shard holds the first <see cref="LearningRatesSet.Count"/> changes.</summary>
    public void Confirmed(LearningRatesSet set)
    {
        if (set.Count != State.RateChanges.Count || !_unconfirmed.Remove(set.ShardId)) return;
        if (_unconfirmed.Count == 0) _released();
    }

    /// <summary>The coordinator's periodic tick: the list again to the shards that have not confirmed it, and now and then to all.</summary>
    public void Tick() => SendToShards(all: DateTime.UtcNow - _lastSent >= ResendInterval);

    private void SendToShards(bool all)
    {
        var changes = State.RateChanges.ToArray();
        if (changes.Length == 0) return; // a shard starts with none, and a checkpoint's snapshot holds what the coordinator's state held then
        if (all) _lastSent = DateTime.UtcNow;
        for (var s = 0; s < _setup.Shards.Count; s++)
            if (all || _unconfirmed.Contains(s))
                _setup.Shards[s].Tell(new SetLearningRates(s, changes));
    }
}
