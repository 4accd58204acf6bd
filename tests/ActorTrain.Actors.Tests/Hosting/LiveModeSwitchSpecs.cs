using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Native;
using Xunit;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// A running job switched live among ASP, local SGD, DiLoCo and SSP, as `actortrain ctl … set-mode` does: every
/// switch is taken, and the job still commits every micro-batch once and learns the task.
/// </summary>
public sealed class LiveModeSwitchSpecs() : Akka.TestKit.Xunit2.TestKit(SyntheticJob.Config("asp", workers: 2, seed: 5, epochs: 8, momentum: 0,
    extra: "job.inner-steps = 4\ndiloco.inner.learning-rate = 0.01"))
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    [Fact]
    public void Switches_among_asp_local_sgd_diloco_and_ssp_mid_run_lose_no_micro_batch()
    {
        var settings = ActorTrainSettings.Create(Sys.Settings.Config);
        TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
        var data = JobData.Load(settings);
        var observer = CreateTestProbe();
        var head = JobHead.StartInProcess(Sys, settings, data, observer);
        for (var w = 1; w <= 2; w++) JobHead.StartWorker(Sys, $"worker-{w}", 1, head, settings, data);

        ChangeMode[] switches = [new("local-sgd", 0, InnerSteps: 4), new("diloco", 0, InnerSteps: 2), new("ssp", 1), new("asp", 0)];
        foreach (var change in switches)
        {
            // One switch per validation: each mode runs for a while (the evaluator is asked every 10 updates).
            observer.FishForMessage(m => m is ParametersEvaluated { Final: false }, Wait, $"a validation before switching to {change.Mode}");
            head.Coordinator.Tell(change, TestActor);
            var changed = ExpectMsg<ModeChanged>(Wait);
            Assert.Equal((change.Mode, change.InnerSteps > 0 ? change.InnerSteps : 2), (changed.Mode, changed.InnerSteps));
        }

        var done = (JobCompleted)observer.FishForMessage(m => m is JobCompleted, Wait, "the job to complete after the switches");
        Assert.Equal(8 * 1000, done.Samples);
        Assert.Equal(0, done.ReissuedMicroBatches);
        Assert.Equal(8 * 63, done.MicroBatchesByWorker.Values.Sum());
        Assert.Equal("asp", done.FinalMode);
        Assert.True(done.Final.TestAccuracy > 0.8, $"test accuracy {done.Final.TestAccuracy} on a 4-class task");
    }
}
