using ActorTrain.Chaos.Runner;
using ActorTrain.Chaos.Scenarios;
using ActorTrain.Chaos.Soak;
using ActorTrain.Cli.Processes;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain chaos &lt;scenario.hocon&gt;</c> runs a fault scenario and judges it; <c>actortrain chaos soak</c> generates
/// and runs many. Exit code 0 when every verdict holds, <see cref="ChaosOutcome.FailedExitCode"/> otherwise.
/// </summary>
public static class ChaosCommand
{
    public const string Usage =
        "actortrain chaos <scenario.hocon> [--dir DIR] [--quiet]\n" +
        "  actortrain chaos soak --count N --seed K [--budget 30m] [--processes-share 0.2] [--shrink] [--dir DIR]";

    private static readonly HashSet<string> Flags = ["quiet", "shrink"];
    private static readonly HashSet<string> Valued = ["dir", "count", "seed", "budget", "processes-share"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, Flags, Valued);
        if (parsed.Positionals.Count != 1) throw new UsageException($"chaos takes one scenario file, or soak.\nusage: {Usage}");
        var options = new ChaosOptions(parsed.Value("dir") ?? Path.Combine("runs", "chaos"), output, SelfCommand.Start) { Verbose = !parsed.Has("quiet") };
        if (parsed.Positionals[0] == "soak")
        {
            var soak = new SoakOptions(parsed.Int("count", 1) ?? throw new UsageException($"chaos soak needs --count N.\nusage: {Usage}"),
                long.Parse(parsed.Value("seed") ?? "1", System.Globalization.CultureInfo.InvariantCulture))
            {
                Budget = parsed.Value("budget") is { } b ? Duration(b) : null,
                Shrink = parsed.Has("shrink"),
                ProcessesShare = parsed.Value("processes-share") is { } s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 0.2,
            };
            var report = await SoakRunner.RunAsync(soak, options with { Verbose = false }, cancellation).ConfigureAwait(false);
            return report.Failed.Count == 0 ? 0 : ChaosOutcome.FailedExitCode;
        }
        var scenario = ScenarioReader.FromFile(parsed.Positionals[0]);
        var outcome = await ChaosRunner.RunAsync(scenario, options, cancellation).ConfigureAwait(false);
        return outcome.ExitCode;
    }

    private static TimeSpan Duration(string text)
    {
        var unit = text[^1];
        if (double.TryParse(text[..^1], System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
            switch (unit)
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
            }
        throw new UsageException($"--budget {text}: expected a duration such as 90s, 30m or 2h");
    }
}
