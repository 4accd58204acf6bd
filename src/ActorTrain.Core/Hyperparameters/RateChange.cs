namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// One persisted change to the learning rate, in force from update <see cref="AtUpdate"/> on: a factor on top of what
/// is in force (<see cref="Absolute"/> false), or an absolute rate (true) that the schedule then goes on shaping.
/// </summary>
public sealed record RateChange(long AtUpdate, double Value, bool Absolute, string Reason = "")
{
    /// <summary>Multiply the rate in force from <paramref name="atUpdate"/> on by <paramref name="factor"/>.</summary>
    public static RateChange Scale(long atUpdate, double factor, string reason = "") => new(atUpdate, factor, Absolute: false, reason);

    /// <summary>Make the rate <paramref name="rate"/> at <paramref name="atUpdate"/>; later updates follow the schedule's shape from there.</summary>
    public static RateChange SetTo(long atUpdate, double rate, string reason = "") => new(atUpdate, rate, Absolute: true, reason);
}
