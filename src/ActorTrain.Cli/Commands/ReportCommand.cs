using System.Globalization;
using ActorTrain.Cli.Report;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain report &lt;run folder&gt;… [--output DIR] [--target A]</c>: plots a run (ScottPlot, PNG) and writes one
/// self-contained report.html with the plots embedded; several run folders are overlaid and compared in a table.
/// </summary>
public static class ReportCommand
{
    public const string Usage = "actortrain report <run folder>... [--output DIR] [--target A]";

    public const string PageFile = "report.html";

    private static readonly HashSet<string> Valued = ["output", "target"];

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        if (parsed.Positionals.Count == 0) throw new UsageException($"report takes one or more run folders.\nusage: {Usage}");
        var target = Target(parsed.Value("target"));
        var runs = parsed.Positionals.Select(RunReader.Read).ToList();
        cancellation.ThrowIfCancellationRequested();
        var directory = parsed.Value("output") ?? (runs.Count == 1 ? Path.Combine(runs[0].Folder, "report") : Path.Combine("runs", "report-" + Stamp()));
        try
        {
            Directory.CreateDirectory(directory);
            var charts = ReportCharts.Draw(runs);
            foreach (var chart in charts) File.WriteAllBytes(Path.Combine(directory, chart.FileName), chart.Png);
            File.WriteAllText(Path.Combine(directory, PageFile), ReportPage.Render(runs, charts, target));
            output.Write(ComparisonTable.Text(runs, target));
            foreach (var run in runs.Where(r => r.Notes.Count > 0))
                foreach (var note in run.Notes) output.WriteLine($"note: {run.Id}: {note}");
            output.WriteLine($"{charts.Count} plots ({string.Join(", ", charts.Select(c => c.FileName))}) and {PageFile} in {directory}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write the report to {directory}: {e.Message}");
        }
        return Task.FromResult(0);
    }

    private static double Target(string? text)
    {
        if (text is null) return 0.85;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var target) && target is > 0 and <= 1
            ? target
            : throw new UsageException($"--target {text} is not valid: expected a validation accuracy in (0, 1], such as 0.85");
    }

    private static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
}
