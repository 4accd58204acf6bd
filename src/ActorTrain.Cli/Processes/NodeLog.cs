namespace ActorTrain.Cli.Processes;

/// <summary>
/// A node's log file, written by the node itself: everything it prints (its own lines and Akka's log, which goes to the
/// console) is appended there, so the log goes on when the process that started the node (and read its output) is gone.
/// </summary>
public static class NodeLog
{
    public static TextWriter Open(string path)
    {
        var writer = TextWriter.Synchronized(new StreamWriter(path, append: true) { AutoFlush = true });
        Console.SetOut(writer);
        Console.SetError(writer);
        return writer;
    }
}
