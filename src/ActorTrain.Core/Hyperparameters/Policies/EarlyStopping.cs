namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>
/// Stop the run when <see cref="Patience"/> evaluations in a row have not improved on the best, as Keras's and
/// Lightning's EarlyStopping do: in min mode a value improves when it is below best - min-delta, in max mode above
/// best + min-delta; the first finite value always improves. Patience 0 stops at the first evaluation that does not
/// improve. A NaN never improves. Once stopped it stays stopped.
/// </summary>
public sealed record EarlyStopping
{
    public WatchedMetric Metric { get; init; } = WatchedMetric.ValidationLoss;
    public MetricMode Mode { get; init; } = MetricMode.Min;
    public int Patience { get; init; } = 10;

    /// <summary>How far past the best a value must be to count as an improvement (≥ 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>Whether the run should end with the best evaluation's checkpoint rather than the last.</summary>
    public bool RestoreBest { get; init; } = true;

    public EarlyStoppingState Start => EarlyStoppingState.Initial;

    public bool Improves(double value, Evaluation? best)
    {
        if (best is null) return double.IsFinite(value);
        var bestValue = best.Value(Metric);
        return Mode == MetricMode.Min ? value < bestValue - MinDelta : value > bestValue + MinDelta;
    }

    public (EarlyStoppingState State, EarlyStoppingDecision Decision) Decide(EarlyStoppingState state, Evaluation evaluation)
    {
        var value = evaluation.Value(Metric);
        var what = $"{Evaluation.Describe(Metric)} {value:g6} at update {evaluation.Update}";
        if (state.Stopped)
            return (state, new EarlyStoppingDecision(true, state.Best, RestoreBest, $"{what} came after the run was told to stop; {Ending(state.Best)}"));

        if (Improves(value, state.Best))
        {
            var previous = state.Best is null ? "the first evaluation" : $"past {Best(state.Best)} by more than min-delta {MinDelta:g3}";
            return (new EarlyStoppingState(evaluation, 0, false),
                new EarlyStoppingDecision(false, evaluation, RestoreBest, $"{what} is the new best ({previous})"));
        }

        var since = state.SinceBest + 1;
        var stop = since >= Patience;
        var next = new EarlyStoppingState(state.Best, since, stop);
        var reason = stop
            ? $"{what}: {since} evaluations without improving by min-delta {MinDelta:g3} reach patience {Patience}; stop, {Ending(state.Best)}"
            : $"{what} does not improve on {Best(state.Best)}: {since} of patience {Patience}";
        return (next, new EarlyStoppingDecision(stop, state.Best, RestoreBest, reason));
    }

    /// <summary>The state after each of <paramref name="evaluations"/> in turn: a replay.</summary>
    public EarlyStoppingState Replay(IEnumerable<Evaluation> evaluations) => evaluations.Aggregate(Start, (state, e) => Decide(state, e).State);

    private string Best(Evaluation? best) => best is null
        ? "nothing finite"
        : $"the best, {best.Value(Metric):g6} at update {best.Update}";

    private string Ending(Evaluation? best) => best is null
        ? "no evaluation had a finite value"
        : RestoreBest ? $"ending with the checkpoint of {Best(best)}" : $"{Best(best)}";
}
