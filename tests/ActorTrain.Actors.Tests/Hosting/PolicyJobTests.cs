using System.Collections.Concurrent;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// Training control in a whole job (issue 10 item 2): the coordinator judges evaluations with the job's policies,
/// persists each change and the shards apply it from its update. In BSP the decisions are exact: a run whose shard and
/// coordinator are killed mid-run makes the same changes at the same updates and ends with bitwise the same weights.
/// </summary>
public sealed class PolicyJobTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    // A threshold this high makes most evaluations of the synthetic job "no better", so the rate falls several times.
    private const string Plateau = """
        policy.reduce-on-plateau { enabled = on, patience = 1, factor = 0.5, threshold = 0.05 }
        """;

    [Fact]
    public async Task A_bsp_plateau_policy_makes_the_same_changes_and_weights_with_a_shard_and_the_coordinator_killed()
    {
        var constant = await Run("");
        var clean = await Run(Plateau);
        var killed = await Run(Plateau, kill: ["/user/shard-0/shard", "/user/coordinator/coordinator"]);

        Assert.True(clean.Changes.Count >= 2, $"the policy changed the rate {clean.Changes.Count} time(s); the test needs at least 2");
        Assert.All(clean.Changes, c => Assert.Equal(LearningRateChanged.Policy, c.Source));
        Assert.All(clean.Changes, c => Assert.Equal(0, c.AtUpdate % 10)); // exact: at evaluation boundaries (every-updates = 10)
        Assert.NotEqual(constant.Done.Final.WeightsSha256, clean.Done.Final.WeightsSha256);

        Assert.True(killed.Killed, "the kills were never sent");
        // The journal's changes, exactly; the observer may lack one the killed coordinator made and had no time to tell.
        Assert.Equal(Describe(clean.Changes), Describe(clean.Done.RateChanges!));
        Assert.Equal(Describe(clean.Done.RateChanges!), Describe(killed.Done.RateChanges!));
        Assert.Subset(Describe(clean.Changes).ToHashSet(), Describe(killed.Changes).ToHashSet());
        Assert.Equal(clean.Done.Updates, killed.Done.Updates);
        Assert.Equal(clean.Done.Final.WeightsSha256, killed.Done.Final.WeightsSha256);
    }

    [Fact]
    public async Task Early_stopping_ends_the_run_before_its_epochs_and_says_why()
    {
        var run = await Run("policy.early-stopping { enabled = on, patience = 1, min-delta = 0.05 }");

        Assert.NotNull(run.Done.StoppedEarly);
        Assert.Contains("reach patience 1; stop", run.Done.StoppedEarly);
        Assert.NotNull(run.Stopped);
        Assert.True(run.Done.Updates < run.PlannedUpdates, $"{run.Done.Updates} updates of {run.PlannedUpdates}: the run did not stop early");
        Assert.Equal(run.Stopped!.AtUpdate, run.Done.Updates); // BSP: it stops at the boundary it judged
        Assert.False(string.IsNullOrEmpty(run.Done.Final.WeightsSha256)); // the final evaluation still ran
    }

    [Fact]
    public async Task Early_stopping_with_restore_best_ends_with_the_best_checkpoints_weights()
    {
        var run = await Run("policy.early-stopping { enabled = on, patience = 1, min-delta = 0.05, restore-best = on }");

        Assert.NotNull(run.Done.StoppedEarly);
        var best = Assert.IsType<BestCheckpointMarked>(run.Done.BestCheckpoint);
        Assert.Equal(best.CheckpointId, run.Done.RestoredBest);
        Assert.True(best.Updates < run.Done.Updates, $"the best checkpoint is at update {best.Updates}, the run stopped at {run.Done.Updates}");
        // BSP with a policy checkpoints the best at exactly the evaluated boundary: the final evaluation sees those weights again.
        Assert.Equal(best.Value, run.Done.Final.ValidationLoss, 1e-6);
    }

    private static string[] Describe(IEnumerable<LearningRateChanged> changes) => [.. changes.Select(c => $"{c.AtUpdate}: ×{c.Value} → {c.Rate:R}")];

    private static async Task<Result> Run(string policy, string[]? kill = null)
    {
        var config = ConfigurationFactory.ParseString(SystemCapture.ConfigEntry)
            .WithFallback(SyntheticJob.Config("bsp", 2, seed: 5, epochs: 8,
                extra: $"run.progress-interval = 50ms\npersistence.checkpoint.every-updates = 0\n{policy}"));
        var settings = ActorTrainSettings.Create(config);
        var listener = new Listener(kill ?? []);
        using var timeout = new CancellationTokenSource(JobTimeout);
        var data = JobData.Load(settings);
        var done = await InProcessJob.RunAsync(config, settings, data, listener, timeout.Token);
        // 1000 samples in steps of 64: 16 steps an epoch (the last one short).
        return new Result(done, [.. listener.Changes], listener.Stopped, listener.Killed, 16L * 8);
    }

    private sealed record Result(JobCompleted Done, List<LearningRateChanged> Changes, EarlyStopped? Stopped, bool Killed, long PlannedUpdates);

    /// <summary>Records the decisions; at the first progress report past 40 updates, kills the actors at the targets.</summary>
    private sealed class Listener(string[] targets) : IJobListener
    {
        public ConcurrentQueue<LearningRateChanged> Changes { get; } = new();
        public EarlyStopped? Stopped { get; private set; }
        public bool Killed { get; private set; }

        public void OnProgress(JobProgressed progress)
        {
            if (targets.Length == 0 || Killed || progress.Updates < 40) return;
            var system = SystemCapture.Last ?? throw new InvalidOperationException("the job's system was not captured");
            var actors = targets.Select(t => system.ActorSelection(t).ResolveOne(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult()).ToList();
            foreach (var actor in actors) actor.Tell(Kill.Instance);
            Killed = true;
        }

        public void OnLearningRateChanged(LearningRateChanged changed) => Changes.Enqueue(changed);

        public void OnEarlyStopped(EarlyStopped stopped) => Stopped = stopped;

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
