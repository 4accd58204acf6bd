namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// The learning rate as a pure function of the update count, so every shard computes the same rate for the
/// same update without any message, and a recovered shard continues the schedule where its version is.
/// </summary>
public sealed record LearningRateSchedule(ScheduleKind Kind, double BaseRate, long TotalUpdates, long WarmupUpdates)
{
    public double At(long update)
    {
        if (WarmupUpdates > 0 && update < WarmupUpdates) return BaseRate * (update + 1) / WarmupUpdates;
        if (Kind == ScheduleKind.Constant) return BaseRate;
        var span = Math.Max(1, TotalUpdates - WarmupUpdates);
        var progress = Math.Clamp((double)(update - WarmupUpdates) / span, 0, 1);
        return BaseRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
