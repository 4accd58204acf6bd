using System.Globalization;

namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// When a fault fires: at an update count, at a fraction of the job's epochs (1.5 = half way through the second epoch),
/// or at seconds after training began. The runner reads the job's progress to know the update count.
/// </summary>
public sealed record FaultTrigger(FaultTrigger.Unit By, double Value)
{
    public enum Unit
    {
        Update,
        Epoch,
        Seconds,
    }

    public static FaultTrigger AtUpdate(long update) => new(Unit.Update, update);

    public static FaultTrigger AtSeconds(double seconds) => new(Unit.Seconds, seconds);

    /// <summary>The update count this trigger stands for, when it is one of updates or epochs.</summary>
    public long? Update(long totalUpdates, int epochs) => By switch
    {
        Unit.Update => (long)Value,
        Unit.Epoch => (long)Math.Round(Value / epochs * totalUpdates),
        _ => null,
    };

    public override string ToString() => By switch
    {
        Unit.Update => $"update {Value.ToString("0", CultureInfo.InvariantCulture)}",
        Unit.Epoch => $"epoch {Value.ToString("0.###", CultureInfo.InvariantCulture)}",
        _ => $"{Value.ToString("0.###", CultureInfo.InvariantCulture)} s",
    };
}
