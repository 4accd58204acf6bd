using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>
/// `actortrain bench wire` end to end, small: it starts its sink process, moves payloads both ways through Akka.Remote
/// and raw TCP, and prints one summary per direction. Only the shape and sense of the figures are checked, never
/// their size: a benchmark is not a timed assertion.
/// </summary>
public sealed partial class BenchWireTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-it-").FullName;

    [Fact]
    public async Task Bench_wire_measures_push_and_pull_against_raw_tcp_and_counts_the_sending_sides_allocations()
    {
        using var bench = ActorTrainProcess.Start(_directory, "bench", "wire", "--mib", "8", "--repeats", "2", "--payload-kib", "256", "--window", "4");

        var code = await bench.ExitCode(TimeSpan.FromMinutes(3));

        Assert.True(code == 0, bench.Output);
        foreach (var direction in new[] { "push", "pull" })
        {
            var summary = Summary().Matches(bench.Output).SingleOrDefault(m => m.Groups["direction"].Value == direction);
            Assert.True(summary is not null, $"no {direction} summary in:\n{bench.Output}");
            Assert.InRange(Number(summary.Groups["ratio"]), 0.0001, 100);
            Assert.InRange(Number(summary.Groups["cpu"]), 0.0001, 100);
        }
        // Push: this process serializes. One copy of each payload byte by ActorTrain's serializer, four by Akka.Remote
        // (docs/performance.md): a change there shows up here first.
        var pushRounds = PushRound().Matches(bench.Output);
        Assert.Equal(2, pushRounds.Count);
        Assert.All(pushRounds, m => Assert.InRange(Number(m.Groups["allocated"]), 4.9, 5.2));
    }

    private static double Number(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<direction>push|pull): Akka\.Remote / raw TCP = (?<ratio>[0-9.]+) median .*raw TCP / Akka\.Remote = (?<cpu>[0-9.]+) ", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [GeneratedRegex(@"^\s+\d+\s+push \(.*\s(?<allocated>[0-9.]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PushRound();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
