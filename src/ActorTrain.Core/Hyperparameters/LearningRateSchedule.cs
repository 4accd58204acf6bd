namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// The learning rate as a pure function of the update count, so every shard computes the same rate for the
/// same update without any message, and a recovered shard continues the schedule where its version is.
/// Warm-up rises linearly over the first <see cref="WarmupUpdates"/>; the cosine, step and exponential decays count
/// from its end. One-cycle has a warm-up of its own (pct-start) and ignores <see cref="WarmupUpdates"/>.
/// Policies' changes apply on top of this: see <see cref="EffectiveLearningRate"/>.
/// </summary>
public sealed record LearningRateSchedule(ScheduleKind Kind, double BaseRate, long TotalUpdates, long WarmupUpdates, ScheduleShape? Shape = null)
{
    public double At(long update)
    {
        var shape = Shape ?? ScheduleShape.Default;
        if (Kind == ScheduleKind.OneCycle) return shape.OneCycle.At(BaseRate, TotalUpdates, update);
        if (WarmupUpdates > 0 && update < WarmupUpdates) return BaseRate * (update + 1) / WarmupUpdates;
        var sinceWarmup = Math.Max(0, update - WarmupUpdates);
        switch (Kind)
        {
            case ScheduleKind.Step: return shape.Step.At(BaseRate, sinceWarmup);
            case ScheduleKind.Exponential: return shape.Exponential.At(BaseRate, sinceWarmup);
            case ScheduleKind.Cosine:
                var span = Math.Max(1, TotalUpdates - WarmupUpdates);
                var progress = Math.Clamp((double)(update - WarmupUpdates) / span, 0, 1);
                return BaseRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
            default: return BaseRate;
        }
    }
}
