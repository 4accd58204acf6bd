namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>
/// What <see cref="ReduceOnPlateau"/> decided after one evaluation: whether it lowers the rate, the rate in force
/// before and after, and why. A reduction is <see cref="Factor"/> on top of the schedule; when min-rate cut it short
/// (<see cref="ClampedToMinimum"/>), it is the absolute rate min-rate instead.
/// </summary>
public sealed record PlateauDecision(bool Reduce, double RateBefore, double Rate, double Factor, bool ClampedToMinimum, string Reason)
{
    /// <summary>The change to persist, in force from <paramref name="atUpdate"/>; null when the rate stays.</summary>
    public RateChange? ChangeAt(long atUpdate) =>
        !Reduce ? null
        : ClampedToMinimum ? RateChange.SetTo(atUpdate, Rate, Reason)
        : RateChange.Scale(atUpdate, Factor, Reason);
}
