using ActorTrain.Chaos.Schedule;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// What became of one scheduled fault: when it fired (seconds into training and the update count then), what the
/// injection did (its detail and count: messages hit, writes failed), and when it was undone.
/// </summary>
public sealed class Injection(ScheduledFault fault)
{
    public ScheduledFault Fault { get; } = fault;

    /// <summary>When its trigger was reached (the offset counts from here).</summary>
    public double? TriggeredAt { get; set; }

    public double? FiredAt { get; set; }
    public long FiredAtUpdate { get; set; }
    public bool Fired { get; set; }
    public string Detail { get; set; } = "";

    /// <summary>What the fault hit: messages, failed writes, processes; for faults with a duration, counted when undone.</summary>
    public long Count { get; set; }

    public double? EndedAt { get; set; }

    /// <summary>The rule the agents count this fault's hits under (message and store faults).</summary>
    public int RuleId { get; set; }

    /// <summary>Why it never fired, when it did not.</summary>
    public string? NotFired { get; set; }
}
