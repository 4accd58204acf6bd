namespace ActorTrain.Chaos.Agent;

/// <summary>
/// One line of the control directory's commands.jsonl, written by the runner and carried out by the agent of each process
/// in <see cref="To"/> (empty: every process). Ops: crash-actor (Target), add-message-fault and remove-message-fault
/// (Rule), blackhole and heal (Addresses), store (Outage, LatencyMs).
/// </summary>
public sealed record AgentCommand(int Id, string Op)
{
    public int[] To { get; init; } = [];
    public string Target { get; init; } = "";
    public int Rule { get; init; }
    public string Kind { get; init; } = "";
    public double Probability { get; init; }
    public string[] Messages { get; init; } = [];
    public string? Peer { get; init; }
    public double DelayMs { get; init; }
    public bool RandomDelay { get; init; }
    public ulong Seed { get; init; }
    public string[] Addresses { get; init; } = [];
    public bool Outage { get; init; }
    public double LatencyMs { get; init; }
}
