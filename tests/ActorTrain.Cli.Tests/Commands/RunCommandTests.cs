using System.Text.Json.Nodes;
using Xunit;

namespace ActorTrain.Cli.Tests.Commands;

/// <summary>The run command end to end, in this process, on the synthetic task.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-cli-").FullName;

    private string JobFile(string body)
    {
        var path = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(path, body);
        return path;
    }

    private const string SyntheticJob = """
        akka.loglevel = WARNING
        actortrain {
          job { name = cli-test, epochs = 2, workers = 2, shards = 2 }
          model { hidden = [16] }
          data { task = synthetic, validation-size = 128, synthetic { train-size = 512, test-size = 128, features = 8, classes = 3 } }
          training { micro-batch-size = 16, batch-size = 32 }
          optimizer { learning-rate = 0.05, momentum = 0 }
          evaluator { every-updates = 8 }
          run { progress-interval = 200ms }
          torch { threads = 1 }
        }
        """;

    private static async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_writes_metrics_and_a_summary_and_ends_with_the_test_accuracy()
    {
        var runs = Path.Combine(_directory, "runs");
        var (code, output, error) = await Cli("run", JobFile(SyntheticJob), "--in-process", "--runs-dir", runs, "--mode", "bsp", "--seed", "5");

        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Matches(@"^test accuracy: [01]\.\d{4}$", lines[^1]);
        var folder = Assert.Single(Directory.GetDirectories(runs));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
        foreach (var key in new[] { "test_accuracy", "validation_accuracy", "epochs", "updates", "wall_seconds", "samples_per_second",
                     "mode", "workers", "shards", "seed", "weights_sha256" })
            Assert.True(summary.ContainsKey(key), $"summary.json lacks {key}");
        Assert.Equal("bsp", (string?)summary["mode"]);
        Assert.Equal(5, (int)summary["seed"]!);
        Assert.Equal(2 * 16, (int)summary["updates"]!);
        Assert.Equal(lines[^1], $"test accuracy: {(double)summary["test_accuracy"]!:F4}");
        var metrics = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(metrics, m => (string?)m["type"] == "evaluation");
        Assert.Contains(metrics, m => (string?)m["type"] == "progress");
        AssertClassificationReport(summary, "test_", 128, (double)summary["test_accuracy"]!);
        var evaluation = metrics.Last(m => (string?)m["type"] == "evaluation")!.AsObject();
        AssertClassificationReport(evaluation, "validation_", 128, (double)evaluation["validation_accuracy"]!);
        // The run's store: its SQLite file, and its id (the folder's name) in the resolved config.
        Assert.True(File.Exists(Path.Combine(folder, "state.db")), "the run folder has no state.db");
        Assert.Contains($"run-id : {Path.GetFileName(folder)}", File.ReadAllText(Path.Combine(folder, "config.hocon")));
        // The run's history, checked: one line per invariant before the run folder, the verdicts in summary.json.
        var verdicts = summary["invariants"]!.AsArray().Select(v => ((int)v!["number"]!, (string)v["verdict"]!)).ToList();
        Assert.Equal([(1, "holds"), (2, "holds"), (3, "not checked"), (4, "not checked"), (5, "holds")], verdicts);
        Assert.Matches(@"invariant 1 \(no push applied twice\): holds — 128 pushes applied", output);
        Assert.Matches(@"invariant 2 \(each sample consumed once per epoch\): holds — 2 epochs checked, 64 commits", output);
    }

    /// <summary>
    /// The per-class figures agree with the matrix they come from and with the run's own accuracy: the matrix holds every
    /// sample of the split once, its diagonal share is the accuracy, and each class's support is its row.
    /// </summary>
    private static void AssertClassificationReport(JsonObject record, string prefix, int samples, double accuracy)
    {
        var rows = record[prefix + "confusion_matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => (long)v!).ToArray()).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.All(rows, r => Assert.Equal(3, r.Length));
        Assert.Equal(samples, rows.Sum(r => r.Sum()));
        Assert.Equal(accuracy, (double)Enumerable.Range(0, 3).Sum(c => rows[c][c]) / samples, 12);
        var perClass = record[prefix + "per_class"]!.AsArray();
        var f1 = new List<double>();
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(rows[c].Sum(), (long)perClass[c]!["support"]!);
            var predicted = rows.Sum(r => r[c]);
            var precision = predicted == 0 ? 0 : (double)rows[c][c] / predicted;
            var recall = rows[c].Sum() == 0 ? 0 : (double)rows[c][c] / rows[c].Sum();
            Assert.Equal(precision, (double)perClass[c]!["precision"]!, 12);
            Assert.Equal(recall, (double)perClass[c]!["recall"]!, 12);
            f1.Add((double)perClass[c]!["f1"]!);
        }
        Assert.Equal(f1.Average(), (double)record[prefix + "macro_f1"]!, 12);
    }

    [Fact]
    public async Task Ssp_keeps_every_read_within_its_bound_and_records_the_histograms_in_the_run_folder()
    {
        var runs = Path.Combine(_directory, "runs");
        var (code, output, error) = await Cli("run", JobFile(SyntheticJob), "--in-process", "--runs-dir", runs, "--mode", "ssp:1", "--workers", "3");

        Assert.True(code == 0, error);
        var folder = Assert.Single(Directory.GetDirectories(runs));
        Assert.Equal("ssp:1", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!["mode"]);
        var staleness = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "staleness.json")))!;
        Assert.Equal(1, (int)staleness["ssp_bound"]!);
        var gaps = staleness["ssp_clock_gap_at_read"]!;
        Assert.True((long)gaps["total"]! > 0, "no worker read was recorded");
        Assert.InRange((long)gaps["max"]!, 0, 1);
        Assert.Equal(2L * 2 * 32, (long)staleness["applied_staleness_updates"]!["total"]!); // every push to both shards, 2 epochs
        Assert.Contains("SSP clock gap at reads: max", output);
        Assert.Matches(@"invariant 3 \(SSP staleness within the bound\): holds — 128 applications under SSP, highest staleness [01] clocks \(bound 1\)", output);
    }

    [Theory]
    [InlineData("local-sgd:4")]
    [InlineData("diloco:4")]
    public async Task A_local_mode_with_H_trains_rounds_of_H_micro_batches_and_names_the_mode(string mode)
    {
        var runs = Path.Combine(_directory, "runs");
        var (code, output, error) = await Cli("run", JobFile(SyntheticJob), "--in-process", "--runs-dir", runs, "--mode", mode);

        Assert.True(code == 0, error);
        Assert.Contains($", {mode.ToUpperInvariant()}, 2 worker(s)", output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(Assert.Single(Directory.GetDirectories(runs)), "summary.json")))!;
        Assert.Equal(mode, (string?)summary["mode"]);
        Assert.Equal(mode, (string?)summary["final_mode"]);
        // 2 epochs of 32 micro-batches in rounds of 4; a round ends short only at the very end, at most one per worker.
        Assert.InRange((int)summary["updates"]!, 16, 17);
        Assert.All(summary["invariants"]!.AsArray(), v => Assert.NotEqual("violated", (string)v!["verdict"]!));
    }

    [Fact]
    public async Task A_mode_parameter_that_is_not_a_number_is_explained_for_the_mode_given()
    {
        var (code, _, error) = await Cli("run", JobFile(SyntheticJob), "--in-process", "--mode", "diloco:eight");
        Assert.Equal(2, code);
        Assert.Contains("mode diloco:eight: H must be a whole number of micro-batches, as in diloco:8", error);
    }

    /// <summary>
    /// Shards larger than a frame are fine (they travel in chunks: tests/ActorTrain.Integration.Tests runs one), but a
    /// chunk must fit in a frame: a run that breaks that is refused before any process starts.
    /// </summary>
    [Fact]
    public async Task A_multi_process_run_whose_chunk_size_cannot_fit_in_one_frame_is_refused_before_it_starts_naming_both_keys()
    {
        var (code, _, error) = await Cli("run", JobFile(SyntheticJob), "--runs-dir", Path.Combine(_directory, "runs"),
            "--set", "akka.remote.dot-netty.tcp.maximum-frame-size=32000", "--set", "actortrain.wire.chunk-size=64KiB");
        Assert.Equal(2, code);
        Assert.Contains("actortrain.wire.chunk-size = 65536 bytes does not fit in akka.remote.dot-netty.tcp.maximum-frame-size = 32000 bytes, " +
                        "which must also hold 4096 bytes of headers: set actortrain.wire.chunk-size to at most 27904 bytes, " +
                        "or raise akka.remote.dot-netty.tcp.maximum-frame-size to at least 69632 bytes.", error);
        Assert.False(Directory.Exists(Path.Combine(_directory, "runs")) && Directory.GetFiles(Path.Combine(_directory, "runs"), "worker-*.log",
            SearchOption.AllDirectories).Length > 0, "worker processes were started");
    }

    [Fact]
    public async Task An_unknown_key_stops_the_run_naming_the_key()
    {
        var (code, _, error) = await Cli("run", JobFile("actortrain.job.wokers = 3"), "--in-process");
        Assert.Equal(2, code);
        Assert.Contains("actortrain.job.wokers", error);
    }

    [Fact]
    public async Task A_bad_value_names_the_key_the_value_and_what_was_expected()
    {
        var (code, _, error) = await Cli("run", JobFile(SyntheticJob), "--in-process", "--mode", "hogwild");
        Assert.Equal(2, code);
        Assert.Contains("actortrain.job.mode = hogwild is not valid: expected one of asp, bsp, ssp", error);
    }

    [Fact]
    public async Task An_unknown_option_is_an_error_not_ignored()
    {
        var (code, _, error) = await Cli("run", JobFile(SyntheticJob), "--in-proces");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --in-proces", error);
    }

    [Fact]
    public async Task A_missing_job_file_is_named()
    {
        var (code, _, error) = await Cli("run", Path.Combine(_directory, "nope.hocon"), "--in-process");
        Assert.Equal(2, code);
        Assert.Contains("nope.hocon does not exist", error);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
