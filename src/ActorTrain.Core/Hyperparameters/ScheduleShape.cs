namespace ActorTrain.Core.Hyperparameters;

/// <summary>The parameters of the schedule kinds that have any; only the one <see cref="LearningRateSchedule.Kind"/> names is used.</summary>
public sealed record ScheduleShape(StepDecay Step, ExponentialDecay Exponential, OneCycleShape OneCycle)
{
    /// <summary>StepLR's and OneCycleLR's defaults (step size 1000 updates, gamma 0.1; exponential gamma 0.999 per update).</summary>
    public static ScheduleShape Default { get; } = new(new StepDecay(), new ExponentialDecay(), new OneCycleShape());
}
