using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Evaluator;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Worker;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Torch.Models;
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
    public static async Task<JobCompleted> RunAsync(Config config, ActorTrainSettings settings, JobData data, IJobListener listener,
        CancellationToken cancellation = default)
    {
        TorchRuntime.EnsureReady();
        var initial = ModelInitializer.InitialWeights(data.Parameters, settings.Job.Seed);
        var system = ActorSystem.Create("actortrain", config);
        try
        {
            var completion = new TaskCompletionSource<JobCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
            var observer = system.ActorOf(JobObserver.Props(listener, completion), "observer");
            var plan = new BatchPlan(data.Splits.Train.Count, settings.Training.MicroBatchSize, settings.Training.MicroBatchesPerStep,
                settings.Job.Epochs, settings.Job.Seed);
            var totalUpdates = settings.Job.Mode == ConsistencyMode.Bsp ? plan.TotalSteps : plan.TotalMicroBatches;
            var shards = data.Shards.Ranges
                .Select(r => system.ActorOf(ParameterShard.Props(r, initial[r.Start..r.End], settings.Optimizer, totalUpdates, settings.Job.Mode,
                    settings.Wire.Encoding), ParameterShard.Name(r.ShardId)))
                .ToArray();
            var evaluator = system.ActorOf(ValidationEvaluator.Props(
                new EvaluatorSetup(shards, data.Shards, data.Model, data.Splits.Validation, data.Splits.Test)), "evaluator");
            var coordinator = system.ActorOf(JobCoordinator.Props(new CoordinatorSetup(plan, settings.Job.Mode, evaluator, observer,
                settings.Evaluator.EveryUpdates, settings.Run.ProgressInterval)), "coordinator");
            for (var w = 0; w < settings.Job.Workers; w++)
            {
                var id = $"worker-{w + 1}";
                system.ActorOf(TrainingWorker.Props(new WorkerSetup(id, 1, coordinator, shards, data.Shards, data.Model,
                    data.Splits.Train, settings.Job.Mode, settings.Wire.Encoding, settings.Torch.EffectiveThreads)), id);
            }
            using var registration = cancellation.Register(() => completion.TrySetCanceled(cancellation));
            return await completion.Task.ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
