using Xunit;

namespace ActorTrain.Cli.Tests.Report;

/// <summary>`actortrain runs`: each folder's state from its files (and, while running, its live process), and clear errors.</summary>
public sealed class RunsCommandTests(ReportedRuns runs) : IClassFixture<ReportedRuns>
{
    [Fact]
    public async Task Finished_runs_are_listed_with_their_job_mode_updates_and_test_accuracy()
    {
        var (code, output, error) = await ReportedRuns.Cli("runs", runs.Runs);

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Matches(@"^id +job +mode +state +updates +test acc$", lines[0]);
        Assert.Matches($@"^{Path.GetFileName(runs.Asp)} +report-test +asp +finished +[\d,]+ +[01]\.\d{{4}}$", lines[1]);
        Assert.Matches($@"^{Path.GetFileName(runs.Ssp)} +report-test +ssp:2 +finished +[\d,]+ +[01]\.\d{{4}}$", lines[2]);
    }

    [Fact]
    public async Task Unfinished_runs_are_running_resumable_or_crashed()
    {
        var directory = runs.NewFolder("unfinished");
        // Stopped after checkpoint 2: job.hocon is there, so resume can continue it.
        var stopped = Unfinished(directory, "a-stopped", jobFile: true, history: null);
        // Killed, and started by an ActorTrain that wrote no job.hocon: nothing can resume it.
        Unfinished(directory, "b-killed", jobFile: false, history: null);
        // A process of the run is alive: this test's own process, whose command line names ActorTrain.
        Unfinished(directory, "c-live", jobFile: true, history: $"in-process-{Environment.ProcessId}.jsonl");
        // The process that recorded the history is gone.
        Unfinished(directory, "d-gone", jobFile: true, history: "head-999999999.jsonl");

        var (code, output, error) = await ReportedRuns.Cli("runs", directory);

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^a-stopped +report-test +asp +resumable \(from checkpoint 2\) +96 +-$", lines[1]);
        Assert.Matches(@"^b-killed +report-test +asp +crashed +96 +-$", lines[2]);
        Assert.Matches($@"^c-live +report-test +asp +running \(pid {Environment.ProcessId}\) +96 +-$", lines[3]);
        Assert.Matches(@"^d-gone .* resumable \(from checkpoint 2\)", lines[4]);
        Assert.True(Directory.Exists(stopped));
    }

    [Fact]
    public async Task A_missing_folder_is_an_error_and_an_empty_one_says_so()
    {
        var missing = await ReportedRuns.Cli("runs", Path.Combine(runs.Directory, "no-such-runs"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);

        var empty = runs.NewFolder("no-runs");
        var listed = await ReportedRuns.Cli("runs", empty);
        Assert.Equal((0, $"no runs in {empty}\n"), (listed.Code, listed.Output));

        var two = await ReportedRuns.Cli("runs", empty, empty);
        Assert.Equal(2, two.Code);
    }

    /// <summary>A run folder as a run leaves it when it ends without a summary: config, metrics up to update 96, two checkpoints.</summary>
    private string Unfinished(string directory, string name, bool jobFile, string? history)
    {
        var folder = Path.Combine(directory, name);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(runs.Asp, "config.hocon"), Path.Combine(folder, "config.hocon"));
        if (jobFile) File.WriteAllText(Path.Combine(folder, "job.hocon"), "# the job\n");
        File.WriteAllLines(Path.Combine(folder, "metrics.jsonl"),
        [
            """{"type":"progress","t":1,"epoch":1,"step":48,"updates":48,"completed_micro_batches":48,"total_micro_batches":128,"loss":0.9,"samples_per_second":700}""",
            """{"type":"checkpoint","t":1.2,"id":1,"updates":32}""",
            """{"type":"checkpoint","t":2.2,"id":2,"updates":64}""",
            """{"type":"progress","t":2.5,"epoch":2,"step":96,"updates":96,"completed_micro_batches":96,"total_micro_batches":128,"loss":0.7,"samples_per_second":700}""",
        ]);
        if (history is not null)
        {
            Directory.CreateDirectory(Path.Combine(folder, "history"));
            File.WriteAllText(Path.Combine(folder, "history", history), "");
        }
        return folder;
    }
}
