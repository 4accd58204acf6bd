using ActorTrain.Chaos.Processes;

namespace ActorTrain.Chaos.Runner;

/// <summary>What the runner knows of the running job when it injects a fault: its processes, agents and run folder.</summary>
public sealed record JobView(IReadOnlyList<JobProcess> Processes, IReadOnlyDictionary<int, string> Agents, string? RunFolder)
{
    public JobProcess? Process(string name) => Processes.FirstOrDefault(p => p.Name == name);

    /// <summary>The pids of the named processes that run an agent.</summary>
    public IReadOnlyList<int> AgentPids(IEnumerable<string>? names = null) =>
        [.. Processes.Where(p => (names is null || names.Contains(p.Name)) && Agents.ContainsKey(p.Pid)).Select(p => p.Pid)];
}
