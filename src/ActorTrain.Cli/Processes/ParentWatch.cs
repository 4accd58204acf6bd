using System.Diagnostics;

namespace ActorTrain.Cli.Processes;

/// <summary>Cancels a token when the given parent process is gone; the node then stops unless a standby coordinator takes over.</summary>
public static class ParentWatch
{
    public static void Start(int parentPid, CancellationTokenSource whenGone)
    {
        var thread = new Thread(() =>
        {
            while (!whenGone.IsCancellationRequested)
            {
                if (!IsAlive(parentPid))
                {
                    Console.Error.WriteLine($"parent process {parentPid} is gone.");
                    whenGone.Cancel();
                    return;
                }
                Thread.Sleep(500);
            }
        }) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
