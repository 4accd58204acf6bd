using System.Diagnostics;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// How the runner runs: where it works (one folder per scenario run below <see cref="Directory"/>), where fault-free
/// reference results are cached, where it prints, and how it starts an <c>actortrain</c> process (the CLI gives its own
/// program: the runner needs real processes to signal, and the job runs in one even with processes = off).
/// </summary>
public sealed record ChaosOptions(string Directory, TextWriter Output, Func<IReadOnlyList<string>, Action<string>, Process> Launch)
{
    public string CacheDirectory { get; init; } = Path.Combine(Directory, "reference-cache");

    /// <summary>Print the job's own output lines too (off in a soak, which prints one line per scenario).</summary>
    public bool Verbose { get; init; } = true;
}
