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

    private static async Task<(JobCompleted Done, bool Crashed)> Run(bool crash)
    {
        var config = ConfigurationFactory.ParseString(SystemCapture.ConfigEntry)
            .WithFallback(SyntheticJob.Config("bsp", 2, seed: 5, epochs: 12, extra: "run.progress-interval = 50ms"));
        var settings = ActorTrainSettings.Create(config);
        var listener = new CrashingListener(crash);
        using var timeout = new CancellationTokenSource(JobTimeout);
        var done = await InProcessJob.RunAsync(config, settings, JobData.Load(settings), listener, timeout.Token);
        return (done, listener.Crashed);
    }

    /// <summary>At the first progress report past 8 updates, kills worker-1 and the evaluator under their supervisors.</summary>
    private sealed class CrashingListener(bool crash) : IJobListener
    {
        public bool Crashed { get; private set; }

        public void OnProgress(JobProgressed progress)
        {
            if (!crash || Crashed || progress.Updates < 8) return;
            var system = SystemCapture.Last ?? throw new InvalidOperationException("the job's system was not captured");
            // Each must be there to be killed: a Kill sent to a path that names nothing would prove nothing.
            var worker = system.ActorSelection("/user/worker-1/worker").ResolveOne(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            var evaluator = system.ActorSelection("/user/evaluator/evaluator").ResolveOne(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            worker.Tell(Kill.Instance);
            evaluator.Tell(Kill.Instance);
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
