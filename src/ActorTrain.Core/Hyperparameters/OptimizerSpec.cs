namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// Optimizer and its hyperparameters; momentum applies to SGD, betas to Adam and AdamW. The learning rate
/// follows <see cref="Schedule"/> over <c>TotalUpdates</c> (known once the data plan is), with <see cref="Shape"/>'s
/// parameters for the kinds that have any (<see cref="ScheduleShape.Default"/> when null).
/// </summary>
public sealed record OptimizerSpec(
    OptimizerKind Kind,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    double Beta1,
    double Beta2,
    bool Nesterov,
    ScheduleKind Schedule = ScheduleKind.Constant,
    long WarmupUpdates = 0,
    ScheduleShape? Shape = null)
{
    public LearningRateSchedule ScheduleOver(long totalUpdates) => new(Schedule, LearningRate, totalUpdates, WarmupUpdates, Shape);
}
