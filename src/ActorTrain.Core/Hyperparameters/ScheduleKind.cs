namespace ActorTrain.Core.Hyperparameters;

/// <summary>The shape of <see cref="LearningRateSchedule"/>; its parameters beyond the base rate are in <see cref="ScheduleShape"/>.</summary>
public enum ScheduleKind
{
    /// <summary>The base learning rate throughout.</summary>
    Constant,

    /// <summary>Linear warm-up, then a half cosine from the base rate down to zero at the last update.</summary>
    Cosine,

    /// <summary>Linear warm-up, then the base rate times gamma once every step-size updates (PyTorch's StepLR).</summary>
    Step,

    /// <summary>Linear warm-up, then the base rate times gamma per N updates, smoothly or as a staircase.</summary>
    Exponential,

    /// <summary>PyTorch's OneCycleLR over the job's updates, peaking at the base rate (its max_lr).</summary>
    OneCycle,
}
