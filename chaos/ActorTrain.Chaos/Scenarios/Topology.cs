namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// Where a scenario's job runs: every role in one process, or a head with worker, ps and standby coordinator processes
/// on 127.0.0.1; and its store.
/// </summary>
public sealed record Topology(bool Processes, int Workers, int PsNodes, int StandbyCoordinators, string Store, string ConnectionString)
{
    public static Topology Default { get; } = new(true, 2, 1, 0, "sqlite", "");

    /// <summary>The process names a fault may target in this topology: head, worker-N, ps-N, standby-N.</summary>
    public IEnumerable<string> ProcessNames =>
        !Processes
            ? ["head"]
            : ["head", .. Enumerable.Range(1, Workers).Select(n => $"worker-{n}"), .. Enumerable.Range(1, PsNodes - 1).Select(n => $"ps-{n}"),
                .. Enumerable.Range(1, StandbyCoordinators).Select(n => $"standby-{n}")];

    public override string ToString() =>
        Processes
            ? $"{Workers} worker process(es), {PsNodes} ps node(s), {StandbyCoordinators} standby coordinator(s), {Store}"
            : $"one process, {Workers} worker(s), {Store}";
}
