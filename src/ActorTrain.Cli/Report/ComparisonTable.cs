using System.Globalization;

namespace ActorTrain.Cli.Report;

/// <summary>
/// The table beside the plots: one row per run, with its time to the target validation accuracy, the gradient bytes it
/// pushed per training sample, and its final accuracies. As text for the console and as cells for the page.
/// </summary>
public static class ComparisonTable
{
    public static readonly string[] Columns =
        ["run", "mode", "workers", "updates", "training s", "samples/s", "time to target s", "push bytes/sample", "final val acc", "test acc"];

    public static IReadOnlyList<string[]> Rows(IReadOnlyList<RunData> runs, double target) =>
    [
        .. runs.Select(r => new[]
        {
            r.Id, r.Mode, Whole(r.Number("workers")), Whole(r.Number("updates") ?? r.Metrics.Progress.LastOrDefault()?.Updates),
            Fixed(r.Number("training_seconds"), 1), Whole(r.Number("samples_per_second")),
            r.SecondsTo(target) is { } s ? Fixed(s, 1) : "not reached", Whole(r.PushBytesPerSample),
            Fixed(r.FinalValidationAccuracy, 4), Fixed(r.TestAccuracy, 4),
        }),
    ];

    /// <summary>Columns padded to their widest cell, a header and a rule.</summary>
    public static string Text(IReadOnlyList<RunData> runs, double target)
    {
        var rows = Rows(runs, target);
        var header = Columns.Select(c => c == "time to target s" ? $"s to {target.ToString("0.###", CultureInfo.InvariantCulture)}" : c).ToArray();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        return string.Join("\n", new[] { Line(header), new string('-', widths.Sum() + 2 * (widths.Length - 1)) }.Concat(rows.Select(Line))) + "\n";
    }

    private static string Whole(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "-";

    private static string Fixed(double? value, int digits) => value is { } v ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "-";
}
