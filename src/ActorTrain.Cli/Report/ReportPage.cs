using System.Globalization;
using System.Net;
using System.Text;

namespace ActorTrain.Cli.Report;

/// <summary>The report as one HTML page that needs no other file: the plots embedded as base64 PNGs, the table, the events.</summary>
public static class ReportPage
{
    public static string Render(IReadOnlyList<RunData> runs, IReadOnlyList<Chart> charts, double target)
    {
        var html = new StringBuilder();
        var title = runs.Count == 1 ? $"ActorTrain report: {runs[0].Id}" : $"ActorTrain report: {runs.Count} runs overlaid";
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
              body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em; color: #222; }
              table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
              th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; } td.n { text-align: right; }
              figure { margin: 0 0 1.5em; } img { max-width: 100%; border: 1px solid #eee; }
              .note { color: #8a5a00; }
            </style></head><body>
            <h1>{{E(title)}}</h1>

            """);
        html.Append(CultureInfo.InvariantCulture, $"<h2>Runs</h2>\n<p>Time to target: seconds of training until a validation accuracy ≥ {target.ToString("0.###", CultureInfo.InvariantCulture)}. ");
        html.Append("Push bytes/sample: the gradient (or pseudo-gradient) payload the workers sent to the shards, resends included, over the samples trained; pulls are not counted.</p>\n");
        html.Append("<table id=\"runs\"><tr>");
        foreach (var column in ComparisonTable.Columns) html.Append(CultureInfo.InvariantCulture, $"<th>{E(column)}</th>");
        html.Append("</tr>\n");
        foreach (var row in ComparisonTable.Rows(runs, target))
            html.Append("<tr>").AppendJoin("", row.Select((cell, i) => i < 2 ? $"<td>{E(cell)}</td>" : $"<td class=\"n\">{E(cell)}</td>")).Append("</tr>\n");
        html.Append("</table>\n");
        foreach (var chart in charts)
            html.Append(CultureInfo.InvariantCulture,
                $"<figure><img alt=\"{E(chart.Title)}\" src=\"data:image/png;base64,{Convert.ToBase64String(chart.Png)}\"><figcaption>{E(chart.Title)} ({E(chart.FileName)})</figcaption></figure>\n");
        foreach (var run in runs) Events(html, run, runs.Count > 1);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Events(StringBuilder html, RunData run, bool named)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Events{(named ? $" of {E(run.Id)}" : "")}</h2>\n");
        foreach (var note in run.Notes) html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{E(note)}</p>\n");
        if (run.Events.Count == 0)
        {
            html.Append("<p>none recorded</p>\n");
            return;
        }
        html.Append("<table class=\"events\"><tr><th>#</th><th>seconds</th><th>update</th><th>event</th><th>what</th></tr>\n");
        foreach (var (e, i) in run.Events.Select((e, i) => (e, i + 1)))
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td class=\"n\">{i}</td><td class=\"n\">{e.Seconds:0.0}</td><td class=\"n\">{(e.Updates is { } u ? u.ToString(CultureInfo.InvariantCulture) : "")}</td><td>{E(ChartStyle.Name(e.Kind))}</td><td>{E(e.Label)}</td></tr>\n");
        html.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
