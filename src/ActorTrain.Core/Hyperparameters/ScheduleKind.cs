namespace ActorTrain.Core.Hyperparameters;

public enum ScheduleKind
{
    /// <summary>The base learning rate throughout.</summary>
    Constant,

    /// <summary>Linear warm-up, then a half cosine from the base rate down to zero at the last update.</summary>
    Cosine,
}
