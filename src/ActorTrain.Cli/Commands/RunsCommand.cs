using System.Globalization;
using ActorTrain.Cli.Output;

namespace ActorTrain.Cli.Commands;

/// <summary><c>actortrain runs [DIR]</c>: lists the run folders in DIR (default runs/), oldest first, with where each stands.</summary>
public static class RunsCommand
{
    public const string Usage = "actortrain runs [DIR]";

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals.Count > 1) throw new UsageException($"runs takes at most one folder.\nusage: {Usage}");
        var directory = parsed.Positionals.Count == 1 ? parsed.Positionals[0] : "runs";
        if (!Directory.Exists(directory))
            throw new UsageException($"{directory} does not exist: give the folder runs are written to (run's --runs-dir, default runs).");
        var runs = Directory.GetDirectories(directory).Where(RunStatus.IsRunFolder).Order(StringComparer.Ordinal).Select(RunStatus.Of).ToList();
        if (runs.Count == 0)
        {
            output.WriteLine($"no runs in {directory}");
            return Task.FromResult(0);
        }
        string[] header = ["id", "job", "mode", "state", "updates", "test acc"];
        var rows = runs.Select(r => new[]
        {
            r.Id, r.Job, r.Mode, r.State.ToString().ToLowerInvariant() + (r.StateDetail.Length > 0 ? $" ({r.StateDetail})" : ""),
            r.Updates?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", r.TestAccuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i >= 4 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (var row in rows) output.WriteLine(Line(row));
        return Task.FromResult(0);
    }
}
