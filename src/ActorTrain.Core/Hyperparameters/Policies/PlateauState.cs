namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>
/// What <see cref="ReduceOnPlateau"/> remembers between evaluations, field for field PyTorch's scheduler state:
/// <see cref="Best"/> (best), <see cref="BadEvaluations"/> (num_bad_epochs), <see cref="CooldownLeft"/> (cooldown_counter)
/// and <see cref="Evaluations"/> (last_epoch), plus the evaluation that set the best, for reasons.
/// </summary>
public sealed record PlateauState(double Best, int BadEvaluations, int CooldownLeft, int Evaluations, Evaluation? BestEvaluation)
{
    /// <summary>Before the first evaluation: best is the worst value for the mode, so the first finite value becomes the best.</summary>
    public static PlateauState Initial(MetricMode mode) =>
        new(mode == MetricMode.Min ? double.PositiveInfinity : double.NegativeInfinity, 0, 0, 0, null);
}
