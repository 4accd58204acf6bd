namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>
/// PyTorch's <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>, step for step, as a pure function of its state and
/// one evaluation (an evaluation is PyTorch's epoch). An evaluation better than the best (see <see cref="IsBetter"/>)
/// becomes the best and clears the bad count; otherwise the count grows. While cooling down, the cooldown counter falls
/// by one and bad evaluations are not counted. When more than <see cref="Patience"/> evaluations in a row were bad, the
/// rate becomes max(rate * factor, min-rate), unless that lowers it by no more than <see cref="Eps"/>; the cooldown then
/// starts and the count clears (both even when eps left the rate). Defaults are PyTorch's.
/// A NaN is never better, so it counts as bad, as in PyTorch.
/// </summary>
public sealed record ReduceOnPlateau
{
    public WatchedMetric Metric { get; init; } = WatchedMetric.ValidationLoss;
    public MetricMode Mode { get; init; } = MetricMode.Min;

    /// <summary>What the rate is multiplied by; below 1.</summary>
    public double Factor { get; init; } = 0.1;

    public int Patience { get; init; } = 10;
    public double Threshold { get; init; } = 1e-4;
    public ThresholdMode ThresholdMode { get; init; } = ThresholdMode.Relative;

    /// <summary>Evaluations after a reduction during which bad ones are not counted.</summary>
    public int Cooldown { get; init; }

    /// <summary>PyTorch's min_lr: the rate is never reduced below it.</summary>
    public double MinRate { get; init; }

    /// <summary>A reduction by no more than this is not made.</summary>
    public double Eps { get; init; } = 1e-8;

    public PlateauState Start => PlateauState.Initial(Mode);

    /// <summary>PyTorch's is_better, for the four combinations of mode and threshold mode.</summary>
    public bool IsBetter(double value, double best) => (Mode, ThresholdMode) switch
    {
        (MetricMode.Min, ThresholdMode.Relative) => value < best * (1.0 - Threshold),
        (MetricMode.Min, ThresholdMode.Absolute) => value < best - Threshold,
        (MetricMode.Max, ThresholdMode.Relative) => value > best * (Threshold + 1.0),
        _ => value > best + Threshold,
    };

    /// <summary>
    /// The state after <paramref name="evaluation"/> and the decision, given the rate in force at its update
    /// (<see cref="EffectiveLearningRate.At"/>: PyTorch's param_group lr).
    /// </summary>
    public (PlateauState State, PlateauDecision Decision) Decide(PlateauState state, Evaluation evaluation, double rateInForce)
    {
        var value = evaluation.Value(Metric);
        var improved = IsBetter(value, state.Best);
        var next = improved
            ? state with { Best = value, BestEvaluation = evaluation, BadEvaluations = 0, Evaluations = state.Evaluations + 1 }
            : state with { BadEvaluations = state.BadEvaluations + 1, Evaluations = state.Evaluations + 1 };
        var cooling = next.CooldownLeft > 0;
        if (cooling) next = next with { CooldownLeft = next.CooldownLeft - 1, BadEvaluations = 0 };

        var what = $"{Evaluation.Describe(Metric)} {value:g6} at update {evaluation.Update}";
        string Unchanged(string why) => $"{what} {why}; the rate stays {rateInForce:g6}";
        if (next.BadEvaluations <= Patience)
        {
            var reason = improved ? Unchanged($"is the new best ({Comparison(state.Best)})")
                : cooling ? Unchanged($"is no better than the best {Best(state)}, but cooling down ({next.CooldownLeft} more after this)")
                : Unchanged($"is no better than the best {Best(state)}: {next.BadEvaluations} bad of patience {Patience}");
            return (next, new PlateauDecision(false, rateInForce, rateInForce, Factor, false, reason));
        }

        next = next with { CooldownLeft = Cooldown, BadEvaluations = 0 };
        var reduced = Math.Max(rateInForce * Factor, MinRate);
        var plateau = $"{what}: {Patience + 1} evaluations without improving on the best {Best(state)}";
        if (!(rateInForce - reduced > Eps))
        {
            return (next, new PlateauDecision(false, rateInForce, rateInForce, Factor, false,
                $"{plateau}, but {rateInForce:g6} → {reduced:g6} (min-rate {MinRate:g6}) is a change of no more than eps {Eps:g3}; the rate stays"));
        }
        var clamped = reduced != rateInForce * Factor;
        var how = clamped ? $"min-rate {MinRate:g6}" : $"× {Factor:g6}";
        return (next, new PlateauDecision(true, rateInForce, reduced, Factor, clamped,
            $"{plateau}: the rate {rateInForce:g6} → {reduced:g6} ({how}){(Cooldown > 0 ? $", then {Cooldown} evaluations of cooldown" : "")}"));
    }

    /// <summary>The state after each of <paramref name="evaluations"/> in turn (a replay), <paramref name="rateInForce"/> giving the rate at each.</summary>
    public PlateauState Replay(IEnumerable<Evaluation> evaluations, Func<Evaluation, double> rateInForce) =>
        evaluations.Aggregate(Start, (state, e) => Decide(state, e, rateInForce(e)).State);

    private static string Best(PlateauState state) =>
        state.BestEvaluation is { } best ? $"{state.Best:g6} (update {best.Update})" : $"{state.Best:g6}";

    private string Comparison(double previous) => double.IsInfinity(previous)
        ? "the first evaluation"
        : $"{(ThresholdMode == ThresholdMode.Relative ? "relative" : "absolute")} threshold {Threshold:g3} past {previous:g6}";
}
