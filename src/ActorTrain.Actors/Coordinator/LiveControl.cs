using System.Globalization;
using System.Text;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// <c>actortrain ctl &lt;run&gt; status|set-lr|scale-lr|checkpoint|pause|continue|stop</c> at the coordinator
/// (<see cref="ControlRun"/> → <see cref="ControlAnswered"/>). What changes the run is a persisted decision
/// (<see cref="LearningRateChanged"/>, <see cref="RunPaused"/>, <see cref="RunContinued"/>, <see cref="EarlyStopped"/>,
/// <see cref="CheckpointStarted"/>). <c>stop</c> pauses, waits for the run to come to rest, takes a checkpoint and ends the
/// run once it is complete, so that <c>actortrain resume</c> goes on from exactly there. A stop asked for is held in memory:
/// a coordinator lost meanwhile leaves the run paused, and the stop must be asked again.
/// </summary>
internal sealed class LiveControl(
    CoordinatorSetup setup,
    Func<CoordinatorState> state,
    TrainingControl control,
    CoordinatorCheckpoints checkpoints,
    Action<ICoordinatorEvent, Action?> record,
    Action released,
    Func<LiveView> view,
    ILoggingAdapter log)
{
    private IActorRef? _stopper;
    private bool _stopCheckpointAsked;

    private CoordinatorState State => state();

    public void Handle(ControlRun run, IActorRef sender)
    {
        var now = view();
        if (run.Verb == "status")
        {
            sender.Tell(new ControlAnswered(Status(now)));
            return;
        }
        var problem = now.Finishing ? "the run is finishing: its final evaluation runs, and nothing can change it any more"
            : State.Stopped is { } stopped ? $"the run is ending early ({stopped.Reason})"
            : _stopper != null ? "the run is stopping (actortrain ctl stop): it waits for its checkpoint"
            : null;
        if (problem != null)
        {
            sender.Tell(new ControlAnswered($"not done: {problem}", ExitCode: 1));
            return;
        }
        switch (run.Verb)
        {
            case "set-lr" or "scale-lr":
                SetRate(run, sender);
                return;
            case "pause":
                Pause(sender);
                return;
            case "continue":
                if (!State.Paused)
                {
                    sender.Tell(new ControlAnswered("not done: the run is not paused", ExitCode: 2));
                    return;
                }
                record(new RunContinued(State.Updates), () =>
                {
                    log.Info("actortrain ctl continue at update {0}", State.Updates);
                    sender.Tell(new ControlAnswered($"continued at update {State.Updates}"));
                });
                released();
                return;
            case "checkpoint":
                checkpoints.Wanted(State, (started, recorded) => Told(sender, started, recorded, stopping: false));
                return;
            case "stop":
                Stop(sender);
                return;
            default:
                sender.Tell(new ControlAnswered($"not done: unknown verb '{run.Verb}'; expected one of {string.Join(", ", ControlRun.Verbs)}", ExitCode: 2));
                return;
        }
    }

    private void SetRate(ControlRun run, IActorRef sender)
    {
        if (!double.IsFinite(run.Value) || run.Value <= 0)
        {
            sender.Tell(new ControlAnswered($"not done: {run.Verb} {run.Value.ToString(CultureInfo.InvariantCulture)}: expected a number above 0", ExitCode: 2));
            return;
        }
        if (State.ModeInForce is ConsistencyMode.LocalSgd or ConsistencyMode.DiLoCo)
        {
            sender.Tell(new ControlAnswered($"not done: in {ConsistencyModes.NameOf(State.ModeInForce)} the shards step the outer optimizer and the workers " +
                                            "keep their own inner rate, which ctl does not reach", ExitCode: 2));
            return;
        }
        control.Set(run.Value, absolute: run.Verb == "set-lr", changed =>
            sender.Tell(new ControlAnswered($"learning rate {changed.Rate:g6} from update {changed.AtUpdate}")));
    }

    private void Pause(IActorRef sender)
    {
        if (State.Paused)
        {
            sender.Tell(new ControlAnswered("not done: the run is already paused (actortrain ctl <run> continue goes on)", ExitCode: 2));
            return;
        }
        record(new RunPaused(State.Updates), () =>
        {
            log.Info("actortrain ctl pause at update {0}", State.Updates);
            var bsp = State.ModeInForce == ConsistencyMode.Bsp ? ", and the step begun is finished first" : "";
            sender.Tell(new ControlAnswered($"paused at update {State.Updates}: no micro-batch goes out; those out are committed{bsp} " +
                                            "(actortrain ctl <run> continue goes on)"));
        });
    }

    private void Stop(IActorRef sender)
    {
        _stopper = sender;
        if (!State.Paused) record(new RunPaused(State.Updates), null);
        sender.Tell(new ControlAnswered($"stopping at update {State.Updates}: no micro-batch goes out; once those out are committed a checkpoint is taken, " +
                                        "and the run ends when it is complete", Done: false));
        Progress();
    }

    /// <summary>Called after each commit: a stop asked for takes its checkpoint once the run is at rest.</summary>
    public void Progress()
    {
        checkpoints.AtRest(State);
        if (_stopper is not { } stopper || _stopCheckpointAsked || !State.AtRest) return;
        _stopCheckpointAsked = true;
        checkpoints.Wanted(State, (started, recorded) => Told(stopper, started, recorded, stopping: true));
    }

    private void Told(IActorRef sender, CheckpointStarted? started, CheckpointRecorded? recorded, bool stopping)
    {
        if (started is null)
        {
            if (stopping) (_stopper, _stopCheckpointAsked) = (null, false);
            sender.Tell(new ControlAnswered("not done: checkpoints already in flight fill the store's queue (the store is slow or out); " +
                                            (stopping ? "the run stays paused; ask again" : "ask again"), ExitCode: 1));
            return;
        }
        if (recorded is null)
        {
            sender.Tell(new ControlAnswered($"checkpoint {started.Id} at update {started.Updates} started; waiting for the shards' snapshots", Done: false));
            return;
        }
        if (!stopping)
        {
            sender.Tell(new ControlAnswered($"checkpoint {recorded.Id} at update {recorded.Updates} is complete"));
            return;
        }
        var stopped = new EarlyStopped(State.Updates, LearningRateChanged.Ctl,
            $"stopped by actortrain ctl after checkpoint {recorded.Id} at update {recorded.Updates}", recorded.Id);
        record(stopped, () =>
        {
            setup.Observer.Tell(stopped);
            sender.Tell(new ControlAnswered($"checkpoint {recorded.Id} at update {recorded.Updates} is complete; the run ends " +
                                            "(actortrain resume <run> goes on from it)"));
        });
        _stopper = null;
        released();
    }

    private string Status(LiveView now)
    {
        var s = State;
        var plan = setup.Plan;
        var text = new StringBuilder();
        var condition = now.Finishing ? "finishing (the final evaluation runs)"
            : s.Stopped is { } stopped ? $"ending early: {stopped.Reason}"
            : _stopper != null ? "stopping (waits for its checkpoint)"
            : s.Paused ? (s.AtRest ? "paused" : "pausing (the micro-batches out are committed first)")
            : "running";
        text.AppendLine($"state: {condition}");
        text.AppendLine($"mode: {now.ModeName}");
        text.AppendLine($"update: {s.Updates} ({s.Ledger.CompletedMicroBatches} of {plan.TotalMicroBatches} micro-batches, " +
                        $"{100.0 * s.Ledger.CompletedMicroBatches / plan.TotalMicroBatches:0.0}%)");
        text.AppendLine($"epoch: {Math.Min(s.Ledger.CurrentEpoch + 1, plan.Epochs)} of {plan.Epochs}");
        var changes = s.RateChanges;
        var last = changes.Count == 0 ? "no change" : $"{changes.Count} change(s), the last from update {changes[^1].AtUpdate} ({changes[^1].Source}: {changes[^1].Reason})";
        text.AppendLine($"learning rate: {control.RateAt(s.Updates):g6} ({last})");
        var workers = now.Workers.Count == 0 ? "none"
            : string.Join(", ", now.Workers.Order(StringComparer.Ordinal).Select(w =>
                $"{w} (holds {s.Ledger.HeldBy(w).Count}, committed {s.MicroBatchesByWorker.GetValueOrDefault(w)})"));
        text.AppendLine($"workers: {now.Workers.Count}: {workers}");
        text.AppendLine(now.LastEvaluation is { } e
            ? $"evaluation: at update {e.Updates}: validation loss {e.ValidationLoss:0.0000}, accuracy {e.ValidationAccuracy:0.0000}"
            : "evaluation: none yet");
        text.AppendLine($"policies: {Policies()}");
        var checkpoint = s.LastCheckpoint is { } c ? $"last complete checkpoint {c.Started.Id} at update {c.Started.Updates}" : "no complete checkpoint yet";
        text.AppendLine($"durability: {checkpoint}; {s.CheckpointsInProgress.Count} in progress");
        var divergence = setup.Control.Divergence;
        text.Append(divergence.Watch is null ? "rollbacks: divergence handling is off (policy.divergence.enabled)"
            : $"rollbacks: {s.Rollbacks.Count} of at most {divergence.MaxRollbacks}" + (s.RollingBack is { } r ? $" (rollback {r.Rollback} to checkpoint {r.CheckpointId} under way)" : "")
              + (s.Rollbacks.Count > 0 && s.RollingBack is null ? $"; the last to checkpoint {s.Rollbacks[^1].CheckpointId}: {s.Rollbacks[^1].Reason}" : ""));
        return text.ToString();
    }

    private string Policies()
    {
        var p = setup.Control.Policies;
        if (!p.Any) return "none";
        var parts = new List<string>();
        if (p.Plateau is { } plateau)
            parts.Add($"reduce-on-plateau (patience {plateau.Patience}, factor {plateau.Factor:g6})");
        if (p.Stopping is { } stopping)
            parts.Add($"early-stopping (patience {stopping.Patience}, min-delta {stopping.MinDelta:g6})");
        return $"{string.Join(", ", parts)}; {State.Evaluations.Count} evaluation(s) judged";
    }
}

/// <summary>What <see cref="LiveControl"/> reads off the coordinator that is not in its durable state.</summary>
internal sealed record LiveView(IReadOnlyCollection<string> Workers, ParametersEvaluated? LastEvaluation, string ModeName, bool Finishing);
