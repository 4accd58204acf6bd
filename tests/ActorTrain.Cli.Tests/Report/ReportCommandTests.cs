using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Cli.Tests.Report;

/// <summary>`actortrain report` on real runs: the PNGs, the self-contained page, its images in a real browser, the overlay.</summary>
public sealed partial class ReportCommandTests(ReportedRuns runs) : IClassFixture<ReportedRuns>
{
    private static readonly string[] Plots =
        ["loss-updates.png", "loss-time.png", "accuracy-updates.png", "accuracy-time.png", "throughput.png", "staleness.png", "learning-rate.png", "micro-batches.png"];

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [GeneratedRegex("<img [^>]*src=\"([^\"]*)\"")]
    private static partial Regex ImageSource();

    [Fact]
    public async Task A_run_is_plotted_as_PNG_files_and_one_page_that_embeds_them_all()
    {
        var output = Path.Combine(runs.Directory, "report-one");
        var (code, printed, error) = await ReportedRuns.Cli("report", runs.Asp, "--output", output);

        Assert.True(code == 0, error);
        foreach (var plot in Plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(output, plot));
            Assert.True(bytes.AsSpan().StartsWith(PngSignature), $"{plot} is not a PNG");
        }
        var page = File.ReadAllText(Path.Combine(output, "report.html"));
        var sources = ImageSource().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Plots.Length, sources.Count);
        Assert.All(sources, s => Assert.StartsWith("data:image/png;base64,", s, StringComparison.Ordinal));
        Assert.Contains(Path.GetFileName(runs.Asp), printed, StringComparison.Ordinal);
        Assert.Contains("checkpoint", page, StringComparison.Ordinal); // snapshots every 32 updates: checkpoints are listed as events
        Assert.Contains("worker-1 joined", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headless_Chromium_loads_every_image_of_the_page_and_takes_a_screenshot()
    {
        var output = Path.Combine(runs.Directory, "report-browser");
        var (code, _, error) = await ReportedRuns.Cli("report", runs.Asp, "--output", output);
        Assert.True(code == 0, error);
        // A copy of the page with a script that counts, once the page has loaded, the images that decoded to a picture.
        var page = File.ReadAllText(Path.Combine(output, "report.html"));
        var checking = Path.Combine(output, "report-checked.html");
        File.WriteAllText(checking, page.Replace("</body>", """
            <script>addEventListener("load", () => { const all = [...document.images];
              document.body.setAttribute("data-images", `${all.length} loaded ${all.filter(i => i.complete && i.naturalWidth > 0).length}`); });</script></body>
            """, StringComparison.Ordinal));

        var dom = await HeadlessChromium.DumpDomAsync(checking);
        Assert.Contains($"data-images=\"{Plots.Length} loaded {Plots.Length}\"", dom, StringComparison.Ordinal);

        var screenshot = Path.Combine(output, "screenshot.png");
        await HeadlessChromium.ScreenshotAsync(Path.Combine(output, "report.html"), screenshot, 1100, 5200);
        var shot = File.ReadAllBytes(screenshot);
        Assert.True(shot.AsSpan().StartsWith(PngSignature), "the screenshot is not a PNG");
        Assert.True(shot.Length > 50_000, $"the screenshot is only {shot.Length} bytes: the page did not render");
    }

    [Fact]
    public async Task Several_runs_are_overlaid_and_compared_in_a_table()
    {
        var output = Path.Combine(runs.Directory, "report-overlay");
        var (code, printed, error) = await ReportedRuns.Cli("report", runs.Asp, runs.Ssp, "--output", output, "--target", "0.5");

        Assert.True(code == 0, error);
        var lines = printed.Split('\n');
        Assert.StartsWith("run ", lines[0], StringComparison.Ordinal);
        Assert.Contains("s to 0.5", lines[0], StringComparison.Ordinal);
        // Names are padded to the longest: two runs started in the same second are "…-004548" and "…-004548-2".
        Assert.Contains(lines, l => Regex.IsMatch(l, "^" + Regex.Escape(Path.GetFileName(runs.Asp)) + @" {2,}asp "));
        Assert.Contains(lines, l => Regex.IsMatch(l, "^" + Regex.Escape(Path.GetFileName(runs.Ssp)) + @" {2,}ssp:2"));
        var page = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("2 runs overlaid", page, StringComparison.Ordinal);
        Assert.Equal(Plots.Length, ImageSource().Matches(page).Count);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_run_and_a_bad_target_are_answered_with_exit_code_2()
    {
        var missing = await ReportedRuns.Cli("report", Path.Combine(runs.Directory, "nothing-here"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);

        var empty = await ReportedRuns.Cli("report", runs.NewFolder("empty"));
        Assert.Equal(2, empty.Code);
        Assert.Contains("it has no metrics.jsonl", empty.Error, StringComparison.Ordinal);

        var target = await ReportedRuns.Cli("report", runs.Asp, "--target", "85");
        Assert.Equal(2, target.Code);
        Assert.Contains("--target 85 is not valid", target.Error, StringComparison.Ordinal);

        var none = await ReportedRuns.Cli("report");
        Assert.Equal(2, none.Code);
        Assert.Contains("usage: actortrain report", none.Error, StringComparison.Ordinal);
    }
}
