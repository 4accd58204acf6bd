namespace ActorTrain.Chaos.Processes;

/// <summary>A live process of a job: its pid, the name faults target it by (head, worker-N, ps-N, standby-N) and its command line.</summary>
public sealed record JobProcess(int Pid, string Name, IReadOnlyList<string> CommandLine);
