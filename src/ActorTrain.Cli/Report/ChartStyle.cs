using ScottPlot;

namespace ActorTrain.Cli.Report;

/// <summary>Sizes, colours and the event marks every plot of the report shares.</summary>
public static class ChartStyle
{
    public const int Width = 960;
    public const int Height = 520;

    /// <summary>Kinds marked with their label written at the line: rare and worth reading on the plot itself.</summary>
    private static readonly HashSet<EventKind> Labelled =
        [EventKind.Fault, EventKind.NodeLost, EventKind.Rollback, EventKind.Recovery, EventKind.ModeChange, EventKind.LearningRateChange];

    private static readonly IPalette Runs = new ScottPlot.Palettes.Category10();

    public static Color RunColor(int index) => Runs.GetColor(index);

    public static Color Of(EventKind kind) => kind switch
    {
        EventKind.Fault => Color.FromHex("#d62728"),
        EventKind.NodeLost => Color.FromHex("#ff7f0e"),
        EventKind.NodeJoined => Color.FromHex("#2ca02c"),
        EventKind.Recovery => Color.FromHex("#17becf"),
        EventKind.Checkpoint => Color.FromHex("#b0b0b0"),
        EventKind.ModeChange => Color.FromHex("#9467bd"),
        EventKind.LearningRateChange => Color.FromHex("#8c564b"),
        EventKind.Rollback => Color.FromHex("#e377c2"),
        _ => Color.FromHex("#7f7f7f"),
    };

    public static string Name(EventKind kind) => kind switch
    {
        EventKind.Fault => "fault fired",
        EventKind.NodeLost => "worker lost",
        EventKind.NodeJoined => "worker joined",
        EventKind.Recovery => "recovery",
        EventKind.Checkpoint => "checkpoint",
        EventKind.ModeChange => "mode change",
        EventKind.LearningRateChange => "learning-rate change",
        EventKind.Rollback => "rollback / resume",
        _ => "other event",
    };

    public static Plot New(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.Font.Set("DejaVu Sans"); // Debian's fonts-dejavu-core, which .ci/run installs; Skia falls back to any font without it
        return plot;
    }

    /// <summary>
    /// Marks events as vertical lines on a time axis: coloured by kind for one run, in the run's colour (dotted) when runs
    /// are overlaid. One legend entry per kind; rare kinds carry their number in the report's event list at the top.
    /// </summary>
    public static void MarkEvents(Plot plot, IReadOnlyList<RunEvent> events, Color? runColor = null)
    {
        var named = new HashSet<EventKind>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var line = plot.Add.VerticalLine(e.Seconds, e.Kind == EventKind.Checkpoint ? 1 : 1.5f, runColor ?? Of(e.Kind),
                runColor is null && e.Kind is EventKind.Checkpoint or EventKind.NodeJoined ? LinePattern.Dotted : LinePattern.Dashed);
            if (runColor is null && named.Add(e.Kind)) line.LegendText = Name(e.Kind);
            if (runColor is null && Labelled.Contains(e.Kind))
            {
                line.Text = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                line.LabelOppositeAxis = true;
                line.LabelFontSize = 10;
            }
        }
    }

    public static byte[] Png(Plot plot, bool legend = true)
    {
        if (legend)
        {
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.FontSize = 11;
        }
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
