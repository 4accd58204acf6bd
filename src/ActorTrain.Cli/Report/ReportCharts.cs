using ScottPlot;

namespace ActorTrain.Cli.Report;

/// <summary>
/// The report's plots, for one run or several overlaid (each run in its colour; training loss solid, validation dashed).
/// Time axes are seconds since each run's training began, with its events marked.
/// </summary>
public static class ReportCharts
{
    public static IReadOnlyList<Chart> Draw(IReadOnlyList<RunData> runs) =>
    [
        Loss(runs, byTime: false), Loss(runs, byTime: true),
        Accuracy(runs, byTime: false), Accuracy(runs, byTime: true),
        Throughput(runs), Staleness(runs), LearningRate(runs), MicroBatches(runs),
    ];

    private static bool Overlay(IReadOnlyList<RunData> runs) => runs.Count > 1;

    private static string Name(RunData run) => $"{run.Id} ({run.Mode})";

    private static Chart Loss(IReadOnlyList<RunData> runs, bool byTime)
    {
        var plot = ChartStyle.New(byTime ? "Loss against wall time" : "Loss against updates", byTime ? "seconds of training" : "updates", "loss");
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var training = run.Metrics.Progress.Where(p => p.Loss is not null).ToList();
            var validation = run.Metrics.Evaluations.Where(e => e.Loss is not null).ToList();
            var prefix = Overlay(runs) ? Name(run) + ": " : "";
            Line(plot, [.. training.Select(p => byTime ? p.Seconds : p.Updates)], [.. training.Select(p => p.Loss!.Value)],
                Overlay(runs) ? ChartStyle.RunColor(i) : ChartStyle.RunColor(0), prefix + "training loss", LinePattern.Solid, marker: false);
            Line(plot, [.. validation.Select(e => byTime ? e.Seconds : e.Updates)], [.. validation.Select(e => e.Loss!.Value)],
                Overlay(runs) ? ChartStyle.RunColor(i) : ChartStyle.RunColor(1), prefix + "validation loss", LinePattern.Dashed, marker: true);
            if (byTime) Mark(plot, runs, i);
        }
        return new Chart(byTime ? "loss-time.png" : "loss-updates.png", plot.Axes.Title.Label.Text, ChartStyle.Png(plot));
    }

    private static Chart Accuracy(IReadOnlyList<RunData> runs, bool byTime)
    {
        var plot = ChartStyle.New(byTime ? "Validation accuracy against wall time" : "Validation accuracy against updates",
            byTime ? "seconds of training" : "updates", "validation accuracy");
        for (var i = 0; i < runs.Count; i++)
        {
            var evaluations = runs[i].Metrics.Evaluations.Where(e => e.Accuracy is not null).ToList();
            Line(plot, [.. evaluations.Select(e => byTime ? e.Seconds : e.Updates)], [.. evaluations.Select(e => e.Accuracy!.Value)],
                ChartStyle.RunColor(i), Overlay(runs) ? Name(runs[i]) : "validation accuracy", LinePattern.Solid, marker: true);
            if (byTime) Mark(plot, runs, i);
        }
        return new Chart(byTime ? "accuracy-time.png" : "accuracy-updates.png", plot.Axes.Title.Label.Text, ChartStyle.Png(plot));
    }

    private static Chart Throughput(IReadOnlyList<RunData> runs)
    {
        var plot = ChartStyle.New("Throughput", "seconds of training", "samples/s");
        for (var i = 0; i < runs.Count; i++)
        {
            var progress = runs[i].Metrics.Progress;
            Line(plot, [.. progress.Select(p => p.Seconds)], [.. progress.Select(p => p.SamplesPerSecond)],
                ChartStyle.RunColor(i), Overlay(runs) ? Name(runs[i]) : "samples/s between progress reports", LinePattern.Solid, marker: false);
            Mark(plot, runs, i);
        }
        plot.Axes.Margins(bottom: 0);
        return new Chart("throughput.png", "Throughput", ChartStyle.Png(plot));
    }

    private static Chart Staleness(IReadOnlyList<RunData> runs)
    {
        var plot = ChartStyle.New("Staleness of applied pushes", "staleness (updates between the pull and the push's application)", "share of applications");
        var width = 0.8 / runs.Count;
        for (var i = 0; i < runs.Count; i++)
        {
            var counts = runs[i].AppliedStaleness;
            var total = Math.Max(1, counts.Sum());
            var bars = counts.Select((c, s) => (Count: c, Staleness: s)).Where(b => b.Count > 0).Select(b => new Bar
            {
                Position = b.Staleness - 0.4 + width * (i + 0.5), Value = (double)b.Count / total, Size = width,
                FillColor = ChartStyle.RunColor(i), LineWidth = 0,
            }).ToList();
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = (Overlay(runs) ? Name(runs[i]) + ": " : "") + $"{total:N0} applications, mean {Mean(counts):0.00}, max {counts.Select((c, s) => c > 0 ? s : 0).DefaultIfEmpty(0).Max()}";
            var gap = runs[i].ClockGap;
            if (gap.Count > 0)
            {
                var gapTotal = Math.Max(1, gap.Sum());
                var line = Line(plot, [.. gap.Select((_, s) => (double)s)], [.. gap.Select(c => (double)c / gapTotal)], ChartStyle.RunColor(i),
                    (Overlay(runs) ? Name(runs[i]) + ": " : "") + "SSP reads by clocks behind the slowest worker", LinePattern.Dotted, marker: true);
                line.LineWidth = 2;
            }
        }
        plot.Axes.Margins(bottom: 0);
        return new Chart("staleness.png", "Staleness histogram", ChartStyle.Png(plot));
    }

    private static Chart LearningRate(IReadOnlyList<RunData> runs)
    {
        var plot = ChartStyle.New("Learning rate", "updates", "learning rate");
        for (var i = 0; i < runs.Count; i++)
        {
            var rate = runs[i].LearningRate;
            Line(plot, [.. rate.Select(r => (double)r.Updates)], [.. rate.Select(r => r.Rate)], ChartStyle.RunColor(i),
                Overlay(runs) ? Name(runs[i]) : "the shards' rate: schedule and recorded changes", LinePattern.Solid, marker: false);
        }
        return new Chart("learning-rate.png", "Learning rate", ChartStyle.Png(plot));
    }

    private static Chart MicroBatches(IReadOnlyList<RunData> runs)
    {
        var plot = ChartStyle.New("Micro-batches committed per worker", "seconds of training", "micro-batches committed");
        var palette = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            foreach (var worker in runs[i].History.Workers)
            {
                var color = Overlay(runs) ? ChartStyle.RunColor(i) : ChartStyle.RunColor(palette++);
                Line(plot, [.. worker.Series.Select(p => p.Seconds)], [.. worker.Series.Select(p => (double)p.Committed)], color,
                    (Overlay(runs) ? Name(runs[i]) + ": " : "") + $"{worker.WorkerId} ({worker.Total:N0})", LinePattern.Solid, marker: false);
            }
            Mark(plot, runs, i);
        }
        plot.Axes.Margins(bottom: 0);
        return new Chart("micro-batches.png", "Micro-batches per worker", ChartStyle.Png(plot));
    }

    private static void Mark(Plot plot, IReadOnlyList<RunData> runs, int i) =>
        ChartStyle.MarkEvents(plot, Overlay(runs) ? [.. runs[i].Events.Where(e => e.Kind is not (EventKind.Checkpoint or EventKind.NodeJoined))] : runs[i].Events,
            Overlay(runs) ? ChartStyle.RunColor(i) : null);

    private static double Mean(IReadOnlyList<long> counts) =>
        counts.Sum() == 0 ? 0 : counts.Select((c, s) => (double)c * s).Sum() / counts.Sum();

    private static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, double[] ys, Color color, string label, LinePattern pattern, bool marker)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = xs.Length == 0 ? label + " (none recorded)" : label;
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerSize = marker ? 5 : 0;
        return line;
    }
}
