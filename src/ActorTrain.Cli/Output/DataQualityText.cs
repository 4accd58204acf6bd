using System.Globalization;
using ActorTrain.Core.DataQuality;

namespace ActorTrain.Cli.Output;

/// <summary>The data check's report as `actortrain data check` prints it.</summary>
public static class DataQualityText
{
    public static void Write(TextWriter output, string source, IReadOnlyList<string> unreadable, DataQualityReport report)
    {
        output.WriteLine($"data check: {source}");
        output.WriteLine();
        output.WriteLine("label balance (samples per class):");
        var classes = report.Splits.Count == 0 ? 0 : report.Splits.Max(s => s.LabelCounts.Count);
        string[] header = ["split", "samples", .. Enumerable.Range(0, classes).Select(c => N(c)), "min/max"];
        var rows = report.Splits.Select(s => (string[])[s.Name, N(s.Count), .. s.LabelCounts.Select(N), Ratio(s.LabelCounts)]).ToList();
        var widths = header.Select((h, i) => rows.Select(r => i < r.Length ? r[i].Length : 0).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => "  " + string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        output.WriteLine(Line(header));
        foreach (var row in rows) output.WriteLine(Line(row));

        output.WriteLine();
        output.WriteLine("unreadable or out-of-range records:");
        foreach (var problem in unreadable) output.WriteLine($"  unreadable: {problem}");
        foreach (var s in report.Splits)
            output.WriteLine($"  {s.Name}: {N(s.OutOfRangeLabels)} label(s) outside 0..{s.LabelCounts.Count - 1}, {N(s.OutOfRangeValues)} record(s) with out-of-range values");

        output.WriteLine();
        output.WriteLine("exact duplicates within a split:");
        foreach (var s in report.Splits)
            output.WriteLine(s.DuplicateGroups == 0
                ? $"  {s.Name}: none"
                : $"  {s.Name}: {N(s.DuplicateGroups)} image(s) occur more than once ({N(s.DuplicateCopies)} extra copies), " +
                  $"{N(s.ConflictingGroups)} of them with different labels");
        output.WriteLine("exact duplicates across splits:");
        foreach (var o in report.Overlaps)
            output.WriteLine(o.SharedImages == 0
                ? $"  {o.First} & {o.Second}: none"
                : $"  {o.First} & {o.Second}: {N(o.SharedImages)} image(s) in both, {N(o.ConflictingLabels)} of them with different labels");

        output.WriteLine();
        var invalid = report.InvalidRecords;
        output.WriteLine(unreadable.Count == 0 && invalid == 0
            ? "verdict: every record is readable and in range" + (report.Splits.Any(s => s.DuplicateGroups > 0) || report.Overlaps.Any(o => o.SharedImages > 0)
                ? "; the duplicates above are reported, not removed"
                : "")
            : $"verdict: {unreadable.Count} unreadable part(s) and {N(invalid)} out-of-range record(s): fix the data before training");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(IReadOnlyList<long> counts) =>
        counts.Count == 0 || counts.Max() == 0 ? "-" : ((double)counts.Min() / counts.Max()).ToString("F3", CultureInfo.InvariantCulture);
}
