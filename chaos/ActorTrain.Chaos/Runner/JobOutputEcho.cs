namespace ActorTrain.Chaos.Runner;

/// <summary>
/// The job's own output, echoed under the runner's lines: its results and events, without the warnings and errors the
/// agents already report (with their process and time) and with progress lines thinned to one every few seconds.
/// </summary>
internal sealed class JobOutputEcho(TextWriter output, bool verbose)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);
    private DateTime _lastProgress = DateTime.MinValue;
    private bool _inLogEntry;

    public void Line(string line)
    {
        if (!verbose) return;
        if (line.StartsWith("[WARNING]", StringComparison.Ordinal) || line.StartsWith("[ERROR]", StringComparison.Ordinal))
        {
            _inLogEntry = true;
            return;
        }
        // An entry's cause and stack trace are indented or start with Cause:; the job's own lines start at column 0 or with two spaces and a word.
        if (_inLogEntry && (line.StartsWith("Cause:", StringComparison.Ordinal) || line.StartsWith("   at ", StringComparison.Ordinal) || line.StartsWith(" ---", StringComparison.Ordinal))) return;
        _inLogEntry = false;
        if (line.StartsWith("epoch ", StringComparison.Ordinal) && !line.Contains("100.0%", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow - _lastProgress < ProgressEvery) return;
            _lastProgress = DateTime.UtcNow;
        }
        lock (output) output.WriteLine($"  | {line}");
    }
}
