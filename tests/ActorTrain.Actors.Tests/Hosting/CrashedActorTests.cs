using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;
using Akka.Configuration;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// A worker or the evaluator crashed by Akka's <c>Kill</c> (what the chaos runner's crash-actor sends) comes back under its
/// supervisor, and the job ends as if nothing had happened. Before, both stayed dead and a BSP job waited forever.
/// </summary>
public sealed class CrashedActorTests
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_killed_worker_and_a_killed_evaluator_restart_and_BSP_ends_with_the_fault_free_weights()
    {
        var clean = await Run(crash: false);
        var crashed = await Run(crash: true);

        Assert.True(crashed.Crashed, "the crash was never sent: the job ended before 8 updates were reported");
        Assert.Equal(clean.Done.Updates, crashed.Done.Updates);
        Assert.Equal(clean.Done.Final.WeightsSha256, crashed.Done.Final.WeightsSha256);
    }

    /// <summary>
    /// A shard killed mid-job: its workers watch the instance, so they send what it had not answered to the next one within
    /// a second or two, not after the resend time (60 s here; a wait that long would fail the test, not slow it). Before,
    /// every shard crash held the job for the full resend time (5 s), and a store outage in that window met no write.
    /// </summary>
    [Fact]
    public async Task A_killed_shard_is_probed_at_once_by_its_workers_and_BSP_ends_with_the_fault_free_weights()
    {
        const string extra = "wire.resend-after = 60s";
        var clean = await Run(crash: false, extra: extra);
        CapturingLogger.Lines.Clear();
        var crashed = await Run(crash: true, extra: extra, targets: ["/user/shard-0/shard"], captureLog: true);

        Assert.True(crashed.Crashed, "the crash was never sent: the job ended before 8 updates were reported");
        Assert.Equal(clean.Done.Updates, crashed.Done.Updates);
        Assert.Equal(clean.Done.Final.WeightsSha256, crashed.Done.Final.WeightsSha256);
        var lines = CapturingLogger.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("shard 0's instance stopped; what it had not answered goes to the next one"));
        Assert.DoesNotContain(lines, l => l.Contains("after 60 s; resending") || l.Contains("unanswered after 60 s"));
    }

    private static async Task<(JobCompleted Done, bool Crashed)> Run(bool crash, string extra = "", string[]? targets = null, bool captureLog = false)
    {
        var config = ConfigurationFactory.ParseString(SystemCapture.ConfigEntry)
            .WithFallback(SyntheticJob.Config("bsp", 2, seed: 5, epochs: 12, extra: $"run.progress-interval = 50ms\n{extra}"));
        if (captureLog) config = ConfigurationFactory.ParseString($"akka.loggers = [\"Akka.Event.DefaultLogger\", {CapturingLogger.ConfigEntry}]").WithFallback(config);
        var settings = ActorTrainSettings.Create(config);
        var listener = new CrashingListener(crash, targets ?? ["/user/worker-1/worker", "/user/evaluator/evaluator"]);
        using var timeout = new CancellationTokenSource(JobTimeout);
        var done = await InProcessJob.RunAsync(config, settings, JobData.Load(settings), listener, timeout.Token);
        return (done, listener.Crashed);
    }

    /// <summary>At the first progress report past 8 updates, kills the actors at <paramref name="targets"/> (under their supervisors).</summary>
    private sealed class CrashingListener(bool crash, string[] targets) : IJobListener
    {
        public bool Crashed { get; private set; }

        public void OnProgress(JobProgressed progress)
        {
            if (!crash || Crashed || progress.Updates < 8) return;
            var system = SystemCapture.Last ?? throw new InvalidOperationException("the job's system was not captured");
            // Each must be there to be killed: a Kill sent to a path that names nothing would prove nothing.
            var actors = targets.Select(t => system.ActorSelection(t).ResolveOne(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult()).ToList();
            foreach (var actor in actors) actor.Tell(Kill.Instance);
            Crashed = true;
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
