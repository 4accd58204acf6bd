using System.Diagnostics;

namespace ActorTrain.Cli.Tests.Report;

/// <summary>Debian's chromium, headless: the DOM of a page after it loaded, and a screenshot of it.</summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static string Path =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("chromium is not installed: `apt-get install chromium` (.ci/run installs it)");

    /// <summary>The page's DOM once it has loaded and its scripts have run (up to 10 s of the page's own time).</summary>
    public static Task<string> DumpDomAsync(string page) => RunAsync("--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri);

    public static Task<string> ScreenshotAsync(string page, string png, int width, int height) =>
        RunAsync("--hide-scrollbars", $"--window-size={width},{height}", $"--screenshot={png}", new Uri(page).AbsoluteUri);

    private static async Task<string> RunAsync(params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("actortrain-chromium-").FullName;
        try
        {
            return await RunAsync(profile, args);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string profile, string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        // As root (CI) Chromium runs only without its sandbox; no GPU, and no profile left behind in the home folder.
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     $"--user-data-dir={profile}" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium {string.Join(' ', args)} did not finish within {Limit.TotalSeconds} s");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
