using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Configuration;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Runs every role of a job in one ActorSystem: the coordinator, S parameter shards, the evaluator and N
/// workers. Messages between them are the same ones that cross processes; with serialize-messages on
/// (the tests) each one also goes through the wire serializer.
/// </summary>
public static class InProcessJob
{
    /// <param name="resume">Continue the run stored under <c>actortrain.persistence.run-id</c> from its last complete checkpoint.</param>
    public static async Task<JobCompleted> RunAsync(Config config, ActorTrainSettings settings, JobData data, IJobListener listener,
        CancellationToken cancellation = default, bool resume = false)
    {
        TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
        var system = ActorSystem.Create(ClusterConfig.SystemName, config);
        try
        {
            var completion = new TaskCompletionSource<JobCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
            await RunStore.PrepareAsync(system, settings, data, resume).WaitAsync(cancellation).ConfigureAwait(false);
            var observer = system.ActorOf(JobObserver.Props(listener, completion), "observer");
            var head = JobHead.StartInProcess(system, settings, data, observer, resume);
            // Incarnations from the clock: a resumed run's workers must be newer than those the shards' snapshots remember.
            var incarnation = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var w = 0; w < settings.Job.Workers; w++) JobHead.StartWorker(system, $"worker-{w + 1}", incarnation, head, settings, data);
            using var registration = cancellation.Register(() => completion.TrySetCanceled(cancellation));
            return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
