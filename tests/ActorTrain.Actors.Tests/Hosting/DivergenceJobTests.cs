using System.Collections.Concurrent;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Data;
using Akka.Configuration;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// Divergence in a whole job (issue 10 item 3), in BSP: a poisoned sample (its features set to a huge value) or a NaN one
/// makes the run diverge where it comes; the coordinator rolls every shard back to a checkpoint before it, lowers the rate,
/// skips the trouble's micro-batches and goes on, and the run ends near the clean run's accuracy. The same seed gives the
/// same rollbacks and bitwise the same weights twice. Without the rollback the poisoned run diverges.
/// </summary>
public sealed class DivergenceJobTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);
    private const int Epochs = 3;
    private const ulong Seed = 7;

    private const string Divergence = """
        policy.divergence { enabled = on, max-rollbacks = 5, lr-factor = 0.5 }
        """;

    [Fact]
    public async Task A_poisoned_sample_is_rolled_back_and_skipped_reproducibly_and_without_the_rollback_the_run_diverges()
    {
        var sample = SampleLateInEveryEpoch();
        var clean = await Run(Divergence, data => data);
        var first = await Run(Divergence, data => PoisonedData.With(data, sample, 1e4f));
        var second = await Run(Divergence, data => PoisonedData.With(data, sample, 1e4f));
        var unguarded = await Run("", data => PoisonedData.With(data, sample, 1e4f));

        Assert.Empty(clean.Rollbacks);
        Assert.NotEmpty(first.Rollbacks);
        // Each rollback skips the poisoned sample's micro-batch of that epoch, and goes back to a checkpoint before it.
        var plan = Plan();
        foreach (var rollback in first.Rollbacks)
        {
            Assert.Contains(rollback.Skipped, m => plan.SamplesOf(new MicroBatchId(m.Epoch, m.MicroBatch)).Contains(sample));
            Assert.True(rollback.Updates < rollback.DetectedAtUpdate, $"rollback {rollback.Rollback} went to update {rollback.Updates}, not before {rollback.DetectedAtUpdate}");
        }
        Assert.Equal(first.Rollbacks.Count, first.Done.Rollbacks!.Length);
        Assert.Contains(first.Rollbacks, r => r.CheckpointId > 0); // shards loaded a checkpoint's snapshot, not only their initial weights
        Assert.All(first.Done.RateChanges!.Where(c => c.Source == LearningRateChanged.Divergence), c => Assert.Equal(0.5, c.Value));
        Assert.Null(first.Done.Diverged);

        Assert.Equal(Describe(first.Done.Rollbacks!), Describe(second.Done.Rollbacks!));
        Assert.Equal(first.Done.Final.WeightsSha256, second.Done.Final.WeightsSha256);

        Assert.True(first.Done.Final.TestAccuracy >= clean.Done.Final.TestAccuracy - 0.1,
            $"with rollbacks the test accuracy is {first.Done.Final.TestAccuracy:F4}, the clean run's {clean.Done.Final.TestAccuracy:F4}");
        // Diverged: a validation loss that is not finite or orders of magnitude above the clean run's.
        Assert.True(!double.IsFinite(unguarded.Done.Final.ValidationLoss) || unguarded.Done.Final.ValidationLoss > 100 * clean.Done.Final.ValidationLoss,
            $"without rollbacks the poisoned run still reached test accuracy {unguarded.Done.Final.TestAccuracy:F4} (validation loss " +
            $"{unguarded.Done.Final.ValidationLoss}); the clean run's is {clean.Done.Final.TestAccuracy:F4}: the poison does not make it diverge");
    }

    [Fact]
    public async Task A_nan_sample_is_never_applied_and_its_rollback_is_reproducible()
    {
        var sample = SampleLateInEveryEpoch();
        var first = await Run(Divergence, data => PoisonedData.With(data, sample, float.NaN));
        var second = await Run(Divergence, data => PoisonedData.With(data, sample, float.NaN));

        Assert.NotEmpty(first.Rollbacks);
        Assert.All(first.Rollbacks, r => Assert.Contains("not finite", r.Reason));
        Assert.True(double.IsFinite(first.Done.Final.ValidationLoss), $"the final validation loss is {first.Done.Final.ValidationLoss}");
        Assert.Equal(Describe(first.Done.Rollbacks!), Describe(second.Done.Rollbacks!));
        Assert.Equal(first.Done.Final.WeightsSha256, second.Done.Final.WeightsSha256);
    }

    [Fact]
    public async Task Diverging_more_often_than_max_rollbacks_ends_the_run_and_says_so()
    {
        var sample = SampleLateInEveryEpoch();
        var run = await Run("policy.divergence { enabled = on, max-rollbacks = 0 }", data => PoisonedData.With(data, sample, float.NaN));

        Assert.Empty(run.Rollbacks);
        Assert.NotNull(run.Done.Diverged);
        Assert.Contains("max-rollbacks (0)", run.Done.Diverged);
        Assert.True(run.Done.Updates < 16L * Epochs, $"{run.Done.Updates} updates: the run did not stop");
    }

    private static string[] Describe(IEnumerable<RolledBack> rollbacks) =>
        [.. rollbacks.Select(r => $"{r.Rollback}: to {r.CheckpointId} at {r.Updates}, detected at {r.DetectedAtUpdate}, skipped {r.Skipped.Length}")];

    private static BatchPlan Plan()
    {
        var settings = ActorTrainSettings.Create(Config(""));
        return JobHead.PlanOf(settings, JobData.Load(settings));
    }

    /// <summary>A sample that comes in the second half of every epoch: the spike detector has its history, and a checkpoint precedes it.</summary>
    private static int SampleLateInEveryEpoch()
    {
        var plan = Plan();
        var position = new Dictionary<int, int>();
        for (var epoch = 0; epoch < Epochs; epoch++)
            for (var index = 0; index < plan.MicroBatchesPerEpoch; index++)
                foreach (var s in plan.SamplesOf(new MicroBatchId(epoch, index)))
                    position[s] = Math.Min(position.GetValueOrDefault(s, int.MaxValue), index);
        return position.Where(p => p.Value >= 32).Select(p => p.Key).Order().First();
    }

    private static Config Config(string policy) =>
        ConfigurationFactory.ParseString(SystemCapture.ConfigEntry)
            .WithFallback(SyntheticJob.Config("bsp", 2, seed: Seed, epochs: Epochs,
                extra: $"run.progress-interval = 50ms\npersistence.checkpoint.every-updates = 4\n{policy}"));

    private static async Task<Result> Run(string policy, Func<JobData, JobData> decorate)
    {
        var config = Config(policy);
        var settings = ActorTrainSettings.Create(config);
        var listener = new Listener();
        using var timeout = new CancellationTokenSource(JobTimeout);
        var data = decorate(JobData.Load(settings));
        var done = await InProcessJob.RunAsync(config, settings, data, listener, timeout.Token);
        return new Result(done, [.. listener.Rollbacks]);
    }

    private sealed record Result(JobCompleted Done, List<RolledBack> Rollbacks);

    private sealed class Listener : IJobListener
    {
        public ConcurrentQueue<RolledBack> Rollbacks { get; } = new();

        public void OnRolledBack(RolledBack rolledBack) => Rollbacks.Enqueue(rolledBack);

        public void OnProgress(JobProgressed progress)
        {
        }

        public void OnEvaluation(ParametersEvaluated evaluation)
        {
        }

        public void OnModeChanged(ModeChanged changed)
        {
        }

        public void OnCompleted(JobCompleted completed)
        {
        }
    }
}
