namespace ActorTrain.Chaos.Agent;

/// <summary>
/// An agent's answer to a command (results/&lt;pid&gt;.jsonl): whether it did it, and what it found or counted. At shutdown an
/// agent also writes one with <see cref="Id"/> 0 per message fault still in force (<see cref="Rule"/>, its hits so far)
/// and one with <see cref="Rule"/> = <see cref="StoreRule"/> for its store faults, so a fault outlived by the job is counted.
/// </summary>
public sealed record AgentResult(int Id, int Pid, bool Done, string Detail, long Count = 0, int Rule = 0)
{
    public const int StoreRule = -1;
}
