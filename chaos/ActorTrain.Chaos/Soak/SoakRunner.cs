using System.Globalization;
using ActorTrain.Chaos.Runner;
using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Soak;

/// <summary>
/// Runs a soak: generates each scenario, writes its file, runs it, prints a row; a failing scenario's file is copied to
/// failures/ (replay it with <c>actortrain chaos &lt;file&gt;</c>) and, with --shrink, reduced to the fewest faults that
/// still fail.
/// </summary>
public static class SoakRunner
{
    public static async Task<SoakReport> RunAsync(SoakOptions soak, ChaosOptions options, CancellationToken cancellation)
    {
        var output = options.Output;
        var folder = Path.Combine(Path.GetFullPath(options.Directory), $"soak-{soak.Seed}");
        var scenarios = Path.Combine(folder, "scenarios");
        var failures = Path.Combine(folder, "failures");
        Directory.CreateDirectory(scenarios);
        Directory.CreateDirectory(failures);
        var started = DateTime.UtcNow;
        var rows = new List<SoakRow>();
        output.WriteLine($"soak: {soak.Count} scenario(s) from seed {soak.Seed}{(soak.Budget is { } b ? $", budget {b.TotalMinutes:0.#} min" : "")}; files in {folder}");
        output.WriteLine($"  {"scenario",-16} {"topology and mode",-28} {"faults",-44} {"verdict",-7} {"s",6}");
        for (var i = 0; i < soak.Count; i++)
        {
            if (soak.Budget is { } budget && DateTime.UtcNow - started > budget)
            {
                output.WriteLine($"soak: the budget ran out after {i} scenario(s)");
                break;
            }
            var generated = SoakGenerator.Generate(soak.Seed, i, soak.ProcessesShare);
            var file = Path.Combine(scenarios, $"{generated.Name}.hocon");
            await File.WriteAllTextAsync(file, generated.Render(), cancellation).ConfigureAwait(false);
            var (outcome, log) = await RunQuietAsync(file, options, scenarios, cancellation).ConfigureAwait(false);
            var kinds = string.Join(",", ScenarioReader.FromFile(file).Faults.Select(f => f.Name));
            var firstFailure = outcome.Verdicts.FirstOrDefault(v => !v.Holds)?.ToString() ?? "";
            var row = new SoakRow(generated.Name, generated.Summary, kinds, outcome.Passed, outcome.WallSeconds, file, firstFailure);
            rows.Add(row);
            output.WriteLine($"  {row.Name,-16} {row.Summary,-28} {Cut(row.Faults, 44),-44} {(row.Passed ? "pass" : "FAIL"),-7} {row.Seconds,6:0.0}");
            if (row.Passed) continue;
            output.WriteLine($"      {firstFailure}");
            var kept = Path.Combine(failures, Path.GetFileName(file));
            File.Copy(file, kept, overwrite: true);
            await File.WriteAllTextAsync(Path.ChangeExtension(kept, ".log"), log, cancellation).ConfigureAwait(false);
            output.WriteLine($"      replay: actortrain chaos {kept}");
            if (soak.Shrink) await ShrinkAsync(generated, failures, options, output, cancellation).ConfigureAwait(false);
        }
        var byKind = rows.SelectMany(r => r.Faults.Split(',', StringSplitOptions.RemoveEmptyEntries)).GroupBy(k => k).OrderBy(g => g.Key, StringComparer.Ordinal);
        output.WriteLine($"soak: {rows.Count} scenario(s), {rows.Count(r => r.Passed)} passed, {rows.Count(r => !r.Passed)} failed, " +
                         $"{rows.Count(r => r.Summary.Contains("procs", StringComparison.Ordinal))} with processes; faults: " +
                         string.Join(", ", byKind.Select(g => $"{g.Key} {g.Count()}")));
        return new SoakReport(rows);
    }

    private static async Task<(ChaosOutcome Outcome, string Log)> RunQuietAsync(string file, ChaosOptions options, string directory, CancellationToken cancellation)
    {
        using var log = new StringWriter(CultureInfo.InvariantCulture);
        var quiet = options with { Output = TextWriter.Synchronized(log), Directory = Path.Combine(directory, "..", "runs"), CacheDirectory = options.CacheDirectory };
        var outcome = await ChaosRunner.RunAsync(ScenarioReader.FromFile(file), quiet, cancellation).ConfigureAwait(false);
        return (outcome, log.ToString());
    }

    /// <summary>Removes faults one at a time while the scenario still fails, until none can go: the smallest failing fault list.</summary>
    private static async Task ShrinkAsync(GeneratedScenario generated, string failures, ChaosOptions options, TextWriter output, CancellationToken cancellation)
    {
        var keep = Enumerable.Range(0, generated.Faults.Count).ToList();
        var changed = true;
        while (changed && keep.Count > 1)
        {
            changed = false;
            foreach (var drop in keep.ToList())
            {
                var trial = keep.Where(k => k != drop).ToList();
                var file = Path.Combine(failures, $"{generated.Name}-shrinking.hocon");
                await File.WriteAllTextAsync(file, generated.Render(trial), cancellation).ConfigureAwait(false);
                var (outcome, _) = await RunQuietAsync(file, options, failures, cancellation).ConfigureAwait(false);
                output.WriteLine($"      shrink: without fault block {drop}: {(outcome.Passed ? "passes (kept)" : "still fails (dropped)")}");
                if (outcome.Passed) continue;
                keep = trial;
                changed = true;
                break;
            }
        }
        var shrunk = Path.Combine(failures, $"{generated.Name}-shrunk.hocon");
        await File.WriteAllTextAsync(shrunk, generated.Render(keep), cancellation).ConfigureAwait(false);
        File.Delete(Path.Combine(failures, $"{generated.Name}-shrinking.hocon"));
        output.WriteLine($"      shrunk to {keep.Count} of {generated.Faults.Count} fault block(s): actortrain chaos {shrunk}");
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
