namespace ActorTrain.Core.Consistency;

/// <summary>
/// A worker's local round under local SGD or DiLoCo: opened on the weights of shard version
/// <see cref="BaseVersion"/>, it collects up to H inner steps, then closes; its pseudo-gradient goes to the shards
/// in one push per shard, and its micro-batches are committed only once every shard has applied that push.
/// A round keeps the mode it was opened under: a live switch closes it early rather than changing its rules.
/// </summary>
public sealed class LocalRound
{
    private readonly List<LocalStep> _steps = [];

    public bool IsOpen { get; private set; }
    public ConsistencyMode Mode { get; private set; }
    public long BaseVersion { get; private set; }
    public IReadOnlyList<LocalStep> Steps => _steps;
    public int Samples => _steps.Sum(s => s.Samples);

    public void Open(ConsistencyMode mode, long baseVersion)
    {
        if (!mode.IsLocal()) throw new ArgumentOutOfRangeException(nameof(mode), mode, "only local-sgd and diloco train local rounds");
        if (IsOpen) throw new InvalidOperationException($"a {ConsistencyModes.NameOf(Mode)} round is already open");
        IsOpen = true;
        Mode = mode;
        BaseVersion = baseVersion;
    }

    public void Record(LocalStep step)
    {
        if (!IsOpen) throw new InvalidOperationException("no round is open");
        _steps.Add(step);
    }

    /// <summary>
    /// Whether the round must close now, and why; null to keep training it. Decided between steps, given the job's
    /// current <paramref name="mode"/> and H, and whether the worker is waiting for work the coordinator says it has not got.
    /// </summary>
    public RoundCloseReason? CloseReason(ConsistencyMode mode, int innerSteps, bool waitingForWork)
    {
        if (!IsOpen || _steps.Count == 0) return null;
        if (mode != Mode) return RoundCloseReason.ModeChanged;
        if (_steps.Count >= innerSteps) return RoundCloseReason.Full;
        return waitingForWork ? RoundCloseReason.NoWorkAvailable : null;
    }

    /// <summary>
    /// The worker's next move under <paramref name="mode"/> (or out of a round opened under a local mode), and why a round
    /// closes when it does. A new round starts only once every shard has acked the worker's last push and a pull made
    /// after that has completed, so its start weights include the worker's own last round (right after a switch from ASP
    /// or SSP, a pull made before their last acks may serve: those gradients are applied anyway).
    /// </summary>
    public (LocalAction Action, RoundCloseReason? Reason) Next(ConsistencyMode mode, int innerSteps, WorkerPipeline pipeline)
    {
        if (pipeline.Computing) return (LocalAction.Wait, null);
        if (CloseReason(mode, innerSteps, pipeline.WorkWithheld && !pipeline.WorkQueued) is { } reason) return (LocalAction.Close, reason);
        if (IsOpen) return (pipeline.WorkQueued ? LocalAction.Step : LocalAction.Wait, null);
        if (!mode.IsLocal() || pipeline.PushesUnacked) return (LocalAction.Wait, null);
        if (!pipeline.WeightsReady) return (pipeline.WeightsPulling ? LocalAction.Wait : LocalAction.Pull, null);
        return (pipeline.WorkQueued ? LocalAction.Open : LocalAction.Wait, null);
    }

    /// <summary>Ends the round: its steps, in the order they were trained. The round is then ready to open again.</summary>
    public IReadOnlyList<LocalStep> Close()
    {
        if (!IsOpen || _steps.Count == 0) throw new InvalidOperationException("only an open round with at least one step can close");
        var steps = _steps.ToArray();
        _steps.Clear();
        IsOpen = false;
        return steps;
    }
}
