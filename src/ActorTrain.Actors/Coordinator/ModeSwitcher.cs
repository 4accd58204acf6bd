using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's live mode switches (<see cref="ChangeMode"/>). Among the modes that apply pushes on arrival a
/// switch is recorded and told at once. A switch to or from BSP waits for a step boundary
/// (<see cref="StepBoundarySwitch"/>): work goes on in the current mode up to the boundary, then nothing is handed out
/// (<see cref="Holds"/>) until every micro-batch out is committed; to BSP, the shards report their versions and all
/// start at the highest. Then <see cref="ModeChanged"/> is recorded (with BSP's step offset), shards and workers are
/// told, and work resumes once every shard has written a snapshot in the new mode (<see cref="ConsistencySet"/>), so a
/// shard restarted afterwards comes back in it. The requester hears <see cref="ModeChangePending"/> at once and
/// <see cref="ModeChanged"/> when it is in force. A shard that was restarting when asked loses the question with its dying
/// instance, so while shards owe an answer the coordinator asks them again every <see cref="ResendInterval"/>
/// (<see cref="Resend"/>; both questions are idempotent at the shard). Only the recorded change is durable: a coordinator
/// lost while a switch waits comes back without it (the requester hears nothing more and asks again).
/// </summary>
/// <param name="state">The coordinator's state now (recovery replaces the instance).</param>
/// <param name="record">Applies an event and journals it; the action runs once it is durable.</param>
/// <param name="workers">The workers to tell.</param>
/// <param name="resume">Serves the workers waiting for work, once a switch is in force.</param>
/// <param name="resending">Starts (true) or stops (false) the coordinator's periodic timer that calls <see cref="Resend"/>.</param>
internal sealed class ModeSwitcher(CoordinatorSetup setup, Func<CoordinatorState> state, Action<IWireMessage, Action> record,
    Func<IEnumerable<IActorRef>> workers, Action resume, Action<bool> resending, ILoggingAdapter log)
{
    /// <summary>How often shards that owe a switch its answer are asked again (as workers resend after 5 s without an answer).</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(5);

    private Pending? _pending;

    /// <summary>The switch waiting for its boundary or its shards, as users write it; null when none is.</summary>
    public string? PendingDescription => _pending?.Target.Description;

    /// <summary>Whether the next micro-batch must wait: a switch is at its boundary, or being put in force.</summary>
    public bool Holds() =>
        _pending is { } p && (p.Phase != Phase.Boundary || StepBoundarySwitch.Decide(state().Ledger).Progress != SwitchProgress.Assign);

    /// <summary>A switch that <see cref="LiveModeSwitch.Refusal"/> accepted.</summary>
    public void Begin(string mode, int staleness, int innerSteps, IActorRef requester)
    {
        var now = state();
        var target = new ModeChanged(mode, staleness, now.Updates, innerSteps > 0 ? innerSteps : now.Mode?.InnerSteps ?? setup.InnerSteps);
        if (!LiveModeSwitch.WaitsForStepBoundary(now.ModeInForce, target.Consistency))
        {
            var changed = target with { FromStep = StepBoundarySwitch.FirstStep(now.Ledger) };
            record(changed, () =>
            {
                Tell(SetConsistency.Of(changed));
                Announce(changed, requester);
            });
            return;
        }
        _pending = new Pending(target, requester);
        var reason = StepBoundarySwitch.Decide(now.Ledger).Reason;
        log.Info("switch to {0} accepted; it takes effect at a step boundary ({1})", target.Description, reason);
        requester.Tell(new ModeChangePending(target.Description, reason));
        Progress();
    }

    /// <summary>A micro-batch was committed: the boundary may be drained now.</summary>
    public void Progress()
    {
        if (_pending is not { Phase: Phase.Boundary } p) return;
        var now = state();
        if (now.Ledger.IsFinished)
        {
            log.Info("switch to {0} dropped: the job finished first", p.Target.Description);
            p.Requester.Tell(new ModeChangeRejected("the job finished before the step boundary"));
            _pending = null;
            resending(false);
            return;
        }
        var (progress, reason) = StepBoundarySwitch.Decide(now.Ledger);
        if (progress == SwitchProgress.Drain && !p.DrainLogged)
        {
            p.DrainLogged = true;
            log.Info("switch to {0}: {1}", p.Target.Description, reason);
        }
        if (progress != SwitchProgress.Switch) return;
        var firstStep = StepBoundarySwitch.FirstStep(now.Ledger);
        if (p.Target.Consistency != ConsistencyMode.Bsp)
        {
            PutInForce(p, p.Target with { AtUpdate = now.Updates, FromStep = firstStep });
            return;
        }
        p.Phase = Phase.Versions;
        for (var s = 0; s < setup.Shards.Count; s++) setup.Shards[s].Tell(new ReportVersion(s));
        resending(true);
    }

    /// <summary>
    /// The resend timer: asks again the shards that have not answered this phase's question (their version, or to run the
    /// new mode once it is recorded). A shard answering twice is harmless: a second version or confirmation is ignored.
    /// </summary>
    public void Resend()
    {
        switch (_pending)
        {
            case { Phase: Phase.Versions } p:
                ResendTo(p, p.Versions.ContainsKey, s => new ReportVersion(s));
                break;
            case { Phase: Phase.Confirming, Told: true } p:
                var set = SetConsistency.Of(p.Target);
                ResendTo(p, p.Confirmed.Contains, _ => set);
                break;
            case null:
                resending(false);
                break;
        }
    }

    private void ResendTo(Pending p, Func<int, bool> answered, Func<int, IWireMessage> question)
    {
        var silent = Enumerable.Range(0, setup.Shards.Count).Where(s => !answered(s)).ToArray();
        if (silent.Length == 0) return;
        log.Warning("switch to {0}: shard(s) {1} have not answered {2} in {3:0} s (restarting when asked?); asking again",
            p.Target.Description, string.Join(", ", silent), p.Phase == Phase.Versions ? "for their version" : "the mode change",
            ResendInterval.TotalSeconds);
        foreach (var s in silent) setup.Shards[s].Tell(question(s));
    }

    public void VersionReported(ShardVersionReported reported)
    {
        if (_pending is not { Phase: Phase.Versions } p) return;
        p.Versions[reported.ShardId] = reported.Version;
        if (p.Versions.Count < setup.Shards.Count) return;
        var now = state();
        var firstStep = StepBoundarySwitch.FirstStep(now.Ledger);
        var (_, offset) = StepBoundarySwitch.Offset(firstStep, p.Versions.Values);
        PutInForce(p, p.Target with { AtUpdate = now.Updates, FromStep = firstStep, StepOffset = offset });
    }

    public void Confirmed(ConsistencySet set)
    {
        if (_pending is not { Phase: Phase.Confirming } p) return; // a switch that did not wait for its shards
        if (!set.Durable) log.Warning("shard {0} runs {1} from version {2}, but its snapshot failed: a restart before its next one would bring it back in the old mode",
            set.ShardId, p.Target.Description, set.Version);
        if (!p.Confirmed.Add(set.ShardId) || p.Confirmed.Count < setup.Shards.Count) return;
        _pending = null;
        resending(false);
        if (p.Requester.IsNobody()) log.Info("every shard runs {0} again, from version {1} on", p.Target.Description, p.Target.StartVersion);
        else Announce(p.Target, p.Requester);
        resume();
    }

    /// <summary>
    /// A coordinator that recovered with a live change in force tells the shards and the workers its journal names again
    /// (one may not have heard it before the last instance was lost); in BSP no work goes out until every shard has confirmed it.
    /// </summary>
    public void Recovered()
    {
        if (state().Mode is not { } mode) return;
        if (mode.Consistency == ConsistencyMode.Bsp)
        {
            _pending = new Pending(mode, ActorRefs.Nobody) { Phase = Phase.Confirming, Told = true };
            resending(true);
        }
        Tell(SetConsistency.Of(mode));
    }

    private void PutInForce(Pending p, ModeChanged changed)
    {
        p.Phase = Phase.Confirming;
        p.Target = changed;
        record(changed, () =>
        {
            p.Told = true; // only a recorded change is told, and so only then resent
            Tell(SetConsistency.Of(changed));
            resending(true);
        });
    }

    private void Tell(SetConsistency set)
    {
        foreach (var shard in setup.Shards) shard.Tell(set);
        foreach (var worker in workers()) worker.Tell(set);
    }

    private void Announce(ModeChanged changed, IActorRef requester)
    {
        if (changed.Consistency == ConsistencyMode.Bsp)
            log.Info("mode changed to {0} at update {1}: BSP steps from version {2} (plan step {3})", changed.Description, changed.AtUpdate,
                changed.StartVersion, changed.FromStep);
        else log.Info("mode changed to {0} at update {1}", changed.Description, changed.AtUpdate);
        requester.Tell(changed);
        setup.Observer.Tell(changed);
    }

    private enum Phase
    {
        Boundary,
        Versions,
        Confirming,
    }

    private sealed class Pending(ModeChanged target, IActorRef requester)
    {
        public ModeChanged Target { get; set; } = target;
        public IActorRef Requester { get; } = requester;
        public Phase Phase { get; set; }
        public bool DrainLogged { get; set; }
        public bool Told { get; set; }
        public Dictionary<int, long> Versions { get; } = [];
        public HashSet<int> Confirmed { get; } = [];
    }
}
