using System.Runtime.InteropServices;

namespace ActorTrain.Chaos.Processes;

/// <summary>Real signals to real processes: SIGKILL, SIGSTOP and SIGCONT through libc's kill(2).</summary>
public static partial class Signals
{
    public const int Kill = 9;
    public const int Continue = 18;
    public const int Stop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>
    /// Whether the signal was delivered (false: the process is gone). Never to pid 0 or 1 (a process group, init) nor to this
    /// process: kill(2) would take them as asked.
    /// </summary>
    public static bool Send(int pid, int signal) => pid > 1 && pid != Environment.ProcessId && SendSignal(pid, signal) == 0;
}
