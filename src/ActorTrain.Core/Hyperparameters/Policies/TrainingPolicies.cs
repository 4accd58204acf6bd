namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>
/// The policies a job runs (either may be absent): <see cref="ReduceOnPlateau"/> and <see cref="EarlyStopping"/>, judged
/// together after each evaluation. A pure function of what is persisted: the evaluations in order and the rate changes,
/// each with the number of evaluations judged before it was made (<see cref="KnownChange.AfterEvaluations"/>), so a
/// replay (<see cref="Replay"/>) sees at each evaluation exactly the rate the live judgement saw, and reaches the same state.
/// </summary>
public sealed record TrainingPolicies(ReduceOnPlateau? Plateau, EarlyStopping? Stopping)
{
    public static readonly TrainingPolicies None = new(null, null);

    public bool Any => Plateau != null || Stopping != null;

    public PolicyState Start => new(Plateau?.Start, Stopping?.Start, 0);

    /// <summary>
    /// Judges <paramref name="evaluation"/> after the <see cref="PolicyState.Evaluations"/> judged so far; the rate in force
    /// at its update is the schedule's with every change made before it.
    /// </summary>
    public PolicyJudgement Judge(PolicyState state, Evaluation evaluation, LearningRateSchedule schedule, IReadOnlyList<KnownChange> changes)
    {
        var rate = new EffectiveLearningRate(schedule, changes.Where(c => c.AfterEvaluations <= state.Evaluations).Select(c => c.Change)).At(evaluation.Update);
        PlateauDecision? plateau = null;
        EarlyStoppingDecision? stop = null;
        var next = state with { Evaluations = state.Evaluations + 1 };
        if (Plateau != null)
        {
            (var after, plateau) = Plateau.Decide(state.Plateau ?? Plateau.Start, evaluation, rate);
            next = next with { Plateau = after };
        }
        if (Stopping != null)
        {
            (var after, stop) = Stopping.Decide(state.Stopping ?? Stopping.Start, evaluation);
            next = next with { Stopping = after };
        }
        return new PolicyJudgement(next, rate, plateau, stop);
    }

    /// <summary>The state after judging every one of <paramref name="evaluations"/> in turn.</summary>
    public PolicyState Replay(IReadOnlyList<Evaluation> evaluations, LearningRateSchedule schedule, IReadOnlyList<KnownChange> changes) =>
        evaluations.Aggregate(Start, (state, e) => Judge(state, e, schedule, changes).State);
}

/// <summary>What the policies remember between evaluations, and how many evaluations they have judged.</summary>
public sealed record PolicyState(PlateauState? Plateau, EarlyStoppingState? Stopping, int Evaluations);

/// <summary>A persisted rate change and how many evaluations had been judged when it was made.</summary>
public sealed record KnownChange(RateChange Change, int AfterEvaluations);

/// <summary>
/// One evaluation judged: the state after it, the rate in force at its update, and each policy's decision (null for a
/// policy the job does not run).
/// </summary>
public sealed record PolicyJudgement(PolicyState State, double RateInForce, PlateauDecision? Plateau, EarlyStoppingDecision? Stop)
{
    public bool Stops => Stop is { Stop: true };
}
