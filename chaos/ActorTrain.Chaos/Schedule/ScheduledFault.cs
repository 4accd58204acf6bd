using System.Globalization;
using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Schedule;

/// <summary>
/// One injection the runner will make: declared fault <see cref="Fault"/> (its index in the scenario), step
/// <see cref="Step"/> of it (a kill-loop has many), fired <see cref="Offset"/> after <see cref="At"/> is reached.
/// <see cref="Seed"/> seeds whatever randomness the injection itself has (which messages a probability hits).
/// </summary>
public sealed record ScheduledFault(int Fault, int Step, FaultKind Kind, string Target, FaultTrigger At, TimeSpan Offset, FaultSpec Spec, ulong Seed)
{
    public string When => Offset == TimeSpan.Zero ? At.ToString() : $"{At} + {Offset.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";

    public string Describe()
    {
        var what = Kind switch
        {
            FaultKind.PauseProcess => $"pause {Target} for {Seconds(Spec.Duration)}",
            FaultKind.SlowProcess => $"slow {Target} by {Spec.Factor.ToString("0.#", CultureInfo.InvariantCulture)}x for {Seconds(Spec.Duration)}",
            FaultKind.Partition => $"partition [{string.Join(", ", Spec.Sides[0])}] | [{string.Join(", ", Spec.Sides[1])}] for {Seconds(Spec.Duration)}",
            FaultKind.Isolate => $"isolate {Target} for {Seconds(Spec.Duration)}",
            FaultKind.StoreOutage => $"store outage for {Seconds(Spec.Duration)}",
            FaultKind.StoreSlow => $"store slow (+{Spec.Latency.TotalMilliseconds:0} ms a write) for {Seconds(Spec.Duration)}",
            _ when FaultKinds.IsMessageFault(Kind) => $"{Spec.Name} {Messages} p={Spec.Probability.ToString("0.###", CultureInfo.InvariantCulture)}" +
                                                    (Kind == FaultKind.Delay ? $" {(Spec.RandomDelay ? "up to " : "")}{Spec.Delay.TotalMilliseconds:0} ms" : "") +
                                                    $" for {Seconds(Spec.Duration)}",
            _ => $"{Spec.Name} {Target}",
        };
        return $"#{Fault}{(Step > 0 ? $".{Step}" : "")} {what}";
    }

    private string Messages =>
        (Spec.Messages.Count == 0 ? "all messages" : string.Join("|", Spec.Messages)) + (Spec.Between.Count == 2 ? $" between {Spec.Between[0]} and {Spec.Between[1]}" : "");

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
