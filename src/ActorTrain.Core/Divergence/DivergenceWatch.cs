namespace ActorTrain.Core.Divergence;

/// <summary>
/// Divergence detection over the committed micro-batches, in the order the coordinator feeds them (BSP: step by step,
/// each step's in index order, so every run with the same seed decides the same): non-finite losses
/// (<see cref="NonFinite"/>), loss spikes (<see cref="LossSpike"/>) and gradient-norm spikes (<see cref="GradientSpike"/>),
/// each optional. The trouble begins at the first suspect report, and lasts until <see cref="CalmReports"/> healthy reports
/// in a row end it: a poisoned micro-batch's spike is followed by healthy ones computed on the same weights (the rest of its
/// BSP step), and only then by the damage its gradient did. On divergence the verdict names where the trouble began and the micro-batches
/// reported since, which the coordinator skips after rolling back. A watch is started again after each rollback.
/// Pure: the state is an immutable value the caller keeps.
/// </summary>
public sealed record DivergenceWatch
{
    public NonFiniteCounter? NonFinite { get; init; } = new();
    public SpikeDetector? LossSpike { get; init; } = new();
    public SpikeDetector? GradientSpike { get; init; } = new() { Quantity = "gradient norm" };

    /// <summary>How many healthy reports in a row end the trouble.</summary>
    public int CalmReports { get; init; } = 8;

    /// <summary>At most this many micro-batches are skipped for one divergence (the newest of the trouble window).</summary>
    public int MaxWindow { get; init; } = 10_000;

    public bool Any => NonFinite != null || LossSpike != null || GradientSpike != null;

    public DivergenceWatchState Start => DivergenceWatchState.Initial;

    public (DivergenceWatchState State, DivergenceVerdict Verdict) Observe(DivergenceWatchState state, DivergenceReport report)
    {
        var decisions = new List<DivergenceDecision>(3);
        var nonFinite = state.NonFinite;
        var loss = state.Loss;
        var gradient = state.Gradient;
        // A report whose loss or gradient is not finite is one non-finite report, whichever of the two it was.
        var bad = !double.IsFinite(report.Loss) ? report.Loss : !double.IsFinite(report.GradientNorm) ? report.GradientNorm : report.Loss;
        if (NonFinite != null)
        {
            (nonFinite, var d) = NonFinite.Decide(nonFinite, new MetricSample(report.Update, report.At, bad));
            decisions.Add(d);
        }
        if (LossSpike != null)
        {
            (loss, var d) = LossSpike.Decide(loss, new MetricSample(report.Update, report.At, report.Loss));
            decisions.Add(d);
        }
        if (GradientSpike != null)
        {
            (gradient, var d) = GradientSpike.Decide(gradient, new MetricSample(report.Update, report.At, report.GradientNorm));
            decisions.Add(d);
        }

        var suspect = decisions.Any(d => d.Suspect);
        var diverged = decisions.FirstOrDefault(d => d.Diverged);
        var window = state.TroubleStartedAt is null && !suspect ? state.Window
            : state.Window.Count >= MaxWindow ? [.. state.Window.Skip(state.Window.Count - MaxWindow + 1), report.MicroBatch]
            : [.. state.Window, report.MicroBatch];
        if (!suspect)
        {
            var calm = state.TroubleStartedAt is null ? 0 : state.Calm + 1;
            var healthy = calm == 0 || calm >= CalmReports
                ? new DivergenceWatchState(nonFinite, loss, gradient, null, [])
                : new DivergenceWatchState(nonFinite, loss, gradient, state.TroubleStartedAt, window) { Calm = calm };
            return (healthy, DivergenceVerdict.Healthy(decisions.Count == 0 ? "no detector" : string.Join("; ", decisions.Select(d => d.Reason))));
        }
        var started = state.TroubleStartedAt ?? report.Update;
        var next = new DivergenceWatchState(nonFinite, loss, gradient, started, window);
        var reason = diverged?.Reason ?? string.Join("; ", decisions.Where(d => d.Suspect).Select(d => d.Reason));
        return (next, new DivergenceVerdict(diverged != null, true, reason, started, window));
    }
}
