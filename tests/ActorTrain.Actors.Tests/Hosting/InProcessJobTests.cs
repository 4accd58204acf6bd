using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Configuration;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// Whole jobs in one ActorSystem, with every message going through the wire serializer
/// (serialize-messages = on), on the seeded synthetic task.
/// </summary>
public sealed class InProcessJobTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);

    /// <param name="captureLog">Log through <see cref="CapturingLogger"/> (its lines cleared first).</param>
    private static async Task<JobCompleted> Run(string mode, int workers, ulong seed, int shards = 3, int epochs = 2, double momentum = 0.9,
        string extra = "", IJobListener? listener = null, bool captureLog = false)
    {
        var config = SyntheticJob.Config(mode, workers, seed, shards, epochs, momentum, extra);
        if (captureLog)
        {
            config = ConfigurationFactory.ParseString($"akka.loggers = [\"Akka.Event.DefaultLogger\", {CapturingLogger.ConfigEntry}]").WithFallback(config);
            CapturingLogger.Lines.Clear();
        }
        var settings = ActorTrainSettings.Create(config);
        using var timeout = new CancellationTokenSource(JobTimeout);
        return await InProcessJob.RunAsync(config, settings, JobData.Load(settings), listener ?? new SilentListener(), timeout.Token);
    }

    [Fact]
    public async Task With_snapshots_effectively_off_a_full_upstream_backup_drops_its_oldest_pushes_instead_of_stalling_and_says_so()
    {
        // A backup of 4 KiB holds two micro-batches' pushes (508 f32 parameters); snapshots would come after a million
        // updates or an hour: nothing frees the backup in this job. Before, it stalled once full.
        var done = await Run("asp", 2, seed: 11, momentum: 0, captureLog: true,
            extra: "persistence { upstream-backup-bytes = 4KiB, snapshot { every-updates = 1000000, every = 1h, before-backup-fills = off } }");

        Assert.Equal(2 * 63, done.Updates);
        var lines = CapturingLogger.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("shards effectively never snapshot") && l.Contains("actortrain.persistence.snapshot.every-updates")
                                    && l.Contains("actortrain.persistence.upstream-backup-bytes"));
        Assert.Equal(2, lines.Count(l => l.Contains("dropping its oldest retained pushes") && l.Contains("Durability is degraded"))); // once per worker
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public async Task Evaluator_every_seconds_validates_while_training_by_time_alone(double everySeconds)
    {
        // 16 epochs: training lasts well past 0.05 s even on a fast machine (at 4 a CI run once trained in less and had none).
        var listener = new SilentListener();
        var done = await Run("asp", 2, seed: 11, epochs: 16, momentum: 0, listener: listener,
            extra: $"evaluator {{ every-updates = 0, every-seconds = {everySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} }}");

        Assert.Equal(16 * 63, done.Updates);
        var during = listener.Evaluations.Where(e => !e.Final).ToList();
        if (everySeconds == 0) Assert.Empty(during); // every-updates = 0 too: only the final one
        else Assert.NotEmpty(during);
    }

    [Fact]
    public async Task Shards_snapshot_before_a_workers_upstream_backup_fills_whatever_the_update_and_time_triggers_say()
    {
        // A backup of 64 KiB holds about 32 pushes per shard (2 shards of 254 f32 parameters); the update and time triggers
        // would first fire after a million updates or an hour, so without the trigger by pushed bytes the backup fills
        // within the first epoch and each worker waits, then drops pushes (the test above).
        var done = await Run("asp", 2, seed: 11, momentum: 0, captureLog: true,
            extra: "persistence { upstream-backup-bytes = 64KiB, snapshot { every-updates = 1000000, every = 1h } }");

        Assert.Equal(2 * 63, done.Updates);
        var lines = CapturingLogger.Lines.ToArray();
        Assert.DoesNotContain(lines, l => l.Contains("upstream backup full") || l.Contains("dropping its oldest retained pushes"));
        Assert.DoesNotContain(lines, l => l.Contains("shards effectively never snapshot"));
    }

    [Fact]
    public async Task Bsp_gives_bitwise_identical_weights_for_1_2_and_4_workers_and_for_a_rerun()
    {
        var one = await Run("bsp", 1, seed: 7);
        var two = await Run("bsp", 2, seed: 7);
        var four = await Run("bsp", 4, seed: 7);
        var twoAgain = await Run("bsp", 2, seed: 7);

        Assert.Matches("^[0-9a-f]{64}$", one.Final.WeightsSha256);
        Assert.Equal(one.Final.WeightsSha256, two.Final.WeightsSha256);
        Assert.Equal(one.Final.WeightsSha256, four.Final.WeightsSha256);
        Assert.Equal(two.Final.WeightsSha256, twoAgain.Final.WeightsSha256);
        // 1000 samples in micro-batches of 16 = 63 micro-batches = 16 steps per epoch (the last holds 3).
        Assert.Equal(2 * 16, one.Updates);
        Assert.Equal(2 * 16, four.Updates);
    }

    [Fact]
    public async Task Bsp_gives_the_same_weights_when_every_push_and_weights_reply_travels_in_chunks()
    {
        // One shard of 508 f32 parameters is 2032 bytes: with 1 KiB chunks every push and every pull answer is cut in two.
        var whole = await Run("bsp", 2, seed: 7, shards: 1);
        var chunked = await Run("bsp", 2, seed: 7, shards: 1, extra: "wire { chunk-size = 1KiB }");

        Assert.Equal(whole.Final.WeightsSha256, chunked.Final.WeightsSha256);
        Assert.Equal(2 * 16, chunked.Updates);
    }

    [Fact]
    public async Task Bsp_weights_depend_on_the_seed()
    {
        var a = await Run("bsp", 2, seed: 7);
        var b = await Run("bsp", 2, seed: 8);
        Assert.NotEqual(a.Final.WeightsSha256, b.Final.WeightsSha256);
    }

    [Fact]
    public async Task Asp_commits_every_micro_batch_once_and_learns_the_task()
    {
        var done = await Run("asp", 3, seed: 11, epochs: 3, momentum: 0);
        Assert.Equal(3 * 63, done.Updates);
        Assert.Equal(3 * 1000, done.Samples);
        Assert.Equal(0, done.ReissuedMicroBatches);
        Assert.True(done.Final.TestAccuracy > 0.8, $"test accuracy {done.Final.TestAccuracy} on a 4-class task");
    }

    [Theory]
    [InlineData("local-sgd", "")]
    [InlineData("diloco", "diloco.inner.learning-rate = 0.01")]
    public async Task Local_rounds_commit_every_micro_batch_once_count_one_update_per_round_and_learn_the_task(string mode, string extra)
    {
        var done = await Run(mode, 2, seed: 11, epochs: 3, momentum: 0, extra: $"job.inner-steps = 4\n{extra}");

        Assert.Equal(3 * 1000, done.Samples);
        Assert.Equal(0, done.ReissuedMicroBatches);
        Assert.Equal(3 * 63, done.MicroBatchesByWorker.Values.Sum());
        // 189 micro-batches in rounds of 4. A round ends short only when nothing is left to hand out, at most one per
        // worker, and 189 = 4 · 47 + 1 = 4 · 46 + 5: 48 rounds whichever way the end falls.
        Assert.Equal(48, done.Updates);
        Assert.Equal($"{mode}:4", done.FinalMode);
        Assert.True(done.Final.TestAccuracy > 0.8, $"test accuracy {done.Final.TestAccuracy} on a 4-class task");
    }
}
