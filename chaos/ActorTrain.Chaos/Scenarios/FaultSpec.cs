namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// One declared fault of a scenario, as read from its file. Which fields matter depends on <see cref="Kind"/>; the reader
/// refuses those that do not apply.
/// </summary>
public sealed record FaultSpec(FaultKind Kind, FaultTrigger At)
{
    /// <summary>How long after its trigger is reached the fault fires (a restart a few seconds after a kill at the same update).</summary>
    public TimeSpan After { get; init; }

    /// <summary>The node or actor: head, worker-N, ps-N, standby-N (processes); worker-N, shard-N, coordinator, evaluator (actors).</summary>
    public string Target { get; init; } = "";

    /// <summary>How long a pause, slow-down, partition, message fault or store fault lasts.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>slow-process: the process runs at 1/factor of its speed.</summary>
    public double Factor { get; init; } = 1;

    /// <summary>Message faults: the chance that each matching message is hit.</summary>
    public double Probability { get; init; } = 1;

    /// <summary>Message faults: the message types hit (names of ActorTrain's wire messages); empty: every ActorTrain message.</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>Message faults: only traffic between these two nodes (either way); empty: all traffic.</summary>
    public IReadOnlyList<string> Between { get; init; } = [];

    /// <summary>delay: the delay (or its bound, with <see cref="RandomDelay"/>).</summary>
    public TimeSpan Delay { get; init; }

    public bool RandomDelay { get; init; }

    /// <summary>partition: the two sides; isolate uses <see cref="Target"/> against everyone else.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Sides { get; init; } = [];

    /// <summary>kill-loop: the mean time between failures, how long the loop lasts, and who may be killed.</summary>
    public TimeSpan MeanTimeBetweenFailures { get; init; }

    public TimeSpan For { get; init; }

    public bool IncludePs { get; init; }

    /// <summary>kill-loop: how long a victim stays down before it is started again.</summary>
    public TimeSpan RestartAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>store-slow: the extra time every write takes.</summary>
    public TimeSpan Latency { get; init; }

    public string Name => FaultKinds.NameOf(Kind);
}
