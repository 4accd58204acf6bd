using System.Diagnostics;
using Xunit;

namespace ActorTrain.Cli.Tests.Output;

/// <summary>
/// Issue 12 item 3: on a terminal, run shows the live view. The test drives a real <c>actortrain run</c> in a tmux
/// session (Debian's tmux, installed by .ci/run), captures the screen while the job runs and after, and checks what the
/// view shows; with output redirected the same run prints its plain lines.
/// </summary>
public sealed class LiveViewTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-live-").FullName;
    private readonly string _session = "actortrain-live-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Run_on_a_terminal_shows_bars_workers_evaluation_and_events_and_leaves_the_last_frame()
    {
        var job = Path.Combine(_directory, "live.hocon");
        await File.WriteAllTextAsync(job, """
            actortrain {
              job { name = live, epochs = 60, workers = 2, shards = 2, mode = asp, seed = 3 }
              model { hidden = [32] }
              data { task = synthetic, validation-size = 256, synthetic { train-size = 4096, test-size = 256, features = 16, classes = 4 } }
              training { micro-batch-size = 16, batch-size = 64 }
              evaluator { every-updates = 200 }
              persistence.checkpoint.every-updates = 500
              run.progress-interval = 100ms
              torch { threads = 1 }
            }
            """);
        var dll = typeof(Program).Assembly.Location;
        var done = Path.Combine(_directory, "done");
        var command = $"dotnet '{dll}' run '{job}' --in-process --runs-dir '{Path.Combine(_directory, "runs")}'; echo exit=$? > '{done}'; sleep 60";
        Tmux("new-session", "-d", "-s", _session, "-x", "150", "-y", "40", command);

        string? during = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!File.Exists(done) && DateTime.UtcNow < deadline)
        {
            var screen = Tmux("capture-pane", "-p", "-t", _session);
            // A frame of the job under way: its bar part filled.
            if (during is null && screen.Contains("samples/s") && System.Text.RegularExpressions.Regex.IsMatch(screen, @"job +━+─+ +\d+\.\d%")) during = screen;
            await Task.Delay(150);
        }
        Assert.True(File.Exists(done), $"the run did not end within 3 minutes; the screen:\n{Tmux("capture-pane", "-p", "-t", _session)}");
        Assert.Equal("exit=0", (await File.ReadAllTextAsync(done)).Trim());
        Assert.True(during != null, "no screen showed the live view while the job ran");

        Assert.Contains("live · ASP · 2 worker(s) · 2 shard(s)", during);
        Assert.Matches(@"epoch \d+/60 [━─]+ +\d+\.\d%", during);
        Assert.Matches(@"worker-1 up [\d,]+ \(\d+ ?%\)", during);
        Assert.Contains("events", during);

        var after = Tmux("capture-pane", "-p", "-t", _session);
        Assert.Matches(@"job +━{40} 100\.0%", after); // the last frame stays, complete
        Assert.Matches(@"evaluation at update \d+: loss \d\.\d{4}, accuracy \d\.\d{4}", after);
        Assert.Contains("invariant 2 (each sample consumed once per epoch): holds", after);
        Assert.Contains("test accuracy:", after);
        Assert.DoesNotContain("[WARNING]", after); // the runtime's log goes to run.log and the events, not over the view
    }

    [Fact]
    public async Task Run_with_output_redirected_prints_plain_lines_and_json_prints_one_object_per_line()
    {
        var job = Path.Combine(_directory, "plain.hocon");
        await File.WriteAllTextAsync(job, """
            actortrain {
              job { name = plain, epochs = 1, workers = 1, shards = 1, mode = asp, seed = 3 }
              model { hidden = [8] }
              data { task = synthetic, validation-size = 64, synthetic { train-size = 256, test-size = 64, features = 4, classes = 2 } }
              training { micro-batch-size = 16, batch-size = 16 }
              torch { threads = 1 }
            }
            """);
        var plain = await Export.FinishedRun.Actortrain("run", job, "--in-process", "--runs-dir", Path.Combine(_directory, "plain-runs"));
        Assert.Equal(0, plain.Code);
        Assert.Contains("done: ", plain.Output);

        var json = await Export.FinishedRun.Actortrain("run", job, "--in-process", "--json", "--runs-dir", Path.Combine(_directory, "json-runs"));
        Assert.Equal(0, json.Code);
        var lines = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("{", l));
        var records = lines.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("final", records);
        Assert.Equal("summary", records[^1]);
    }

    private static string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("tmux did not start (.ci/run installs it)");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)}: {error}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Tmux("kill-session", "-t", _session);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
