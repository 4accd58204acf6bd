using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Evaluator;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Worker;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Torch.Models;
using Akka.Actor;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Starts a job's head roles in an ActorSystem: the parameter shards (ps), the evaluator and the coordinator,
/// under fixed names (/user/shard-N, /user/evaluator, /user/coordinator) so workers elsewhere can find them.
/// Also starts workers, wherever they run.
/// </summary>
public static class JobHead
{
    public const string CoordinatorName = "coordinator";

    public sealed record Roles(IActorRef Coordinator, IReadOnlyList<IActorRef> Shards);

    public static Roles Start(ActorSystem system, ActorTrainSettings settings, JobData data, IActorRef observer)
    {
        var initial = ModelInitializer.InitialWeights(data.Parameters, settings.Job.Seed);
        var plan = PlanOf(settings, data);
        var totalUpdates = settings.Job.Mode == ConsistencyMode.Bsp ? plan.TotalSteps : plan.TotalMicroBatches;
        var shards = data.Shards.Ranges
            .Select(r => system.ActorOf(ParameterShard.Props(r, initial[r.Start..r.End], settings.Optimizer, totalUpdates, settings.Job.Mode,
                settings.Wire.Encoding, settings.Job.Staleness, settings.LocalTraining), ParameterShard.Name(r.ShardId)))
            .ToArray();
        var evaluator = system.ActorOf(ValidationEvaluator.Props(
            new EvaluatorSetup(shards, data.Shards, data.Model, data.Splits.Validation, data.Splits.Test)), "evaluator");
        var coordinator = system.ActorOf(JobCoordinator.Props(new CoordinatorSetup(plan, settings.Job.Mode, evaluator, shards, observer,
            settings.Evaluator.EveryUpdates, settings.Run.ProgressInterval, settings.Job.Staleness, settings.Job.InnerSteps)), CoordinatorName);
        return new Roles(coordinator, shards);
    }

    public static IActorRef StartWorker(ActorSystem system, string workerId, long incarnation, Roles head, ActorTrainSettings settings, JobData data) =>
        system.ActorOf(TrainingWorker.Props(new WorkerSetup(workerId, incarnation, head.Coordinator, head.Shards, data.Shards, data.Model,
            data.Splits.Train, settings.Job.Mode, settings.Wire.Encoding, settings.LocalTraining, PlanOf(settings, data))), workerId);

    /// <summary>The job's data plan: the same on every node, since it depends only on the settings and the data.</summary>
    public static BatchPlan PlanOf(ActorTrainSettings settings, JobData data) =>
        new(data.Splits.Train.Count, settings.Training.MicroBatchSize, settings.Training.MicroBatchesPerStep, settings.Job.Epochs, settings.Job.Seed);
}
