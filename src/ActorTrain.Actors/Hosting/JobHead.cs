using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Evaluator;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Worker;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Models;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Starts a job's roles. In one process (<see cref="StartInProcess"/>) the shards, evaluator, coordinator and
/// workers are plain actors. In a cluster the shards are Cluster Sharding entities on the ps nodes
/// (<see cref="StartShardRegion"/>), the coordinator is a cluster singleton on the coordinator node
/// (<see cref="StartHead"/>), and a worker node reaches both through proxies (<see cref="Join"/>).
/// </summary>
public static class JobHead
{
    public const string CoordinatorRole = "coordinator";

    /// <summary>The singleton manager's name; the coordinator itself runs as its child <see cref="CoordinatorSingletonName"/>.</summary>
    public const string CoordinatorName = "coordinator";

    public const string CoordinatorSingletonName = "singleton";

    /// <summary>Where the coordinator lives on the node that holds it, for <c>actortrain ctl</c>.</summary>
    public const string CoordinatorPath = $"/user/{CoordinatorName}/{CoordinatorSingletonName}";

    /// <summary>What a worker talks to: the coordinator (or its proxy) and one reference per shard.</summary>
    public sealed record Roles(IActorRef Coordinator, IReadOnlyList<IActorRef> Shards);

    /// <param name="resume">Whether this start continues a stopped run: the coordinator goes back to its last complete checkpoint.</param>
    public static Roles StartInProcess(ActorSystem system, ActorTrainSettings settings, JobData data, IActorRef observer, bool resume = false)
    {
        var shardProps = ShardProps(settings, data);
        var shards = data.Shards.Ranges.Select(r => system.ActorOf(shardProps(r.ShardId), ParameterShard.Name(r.ShardId))).ToArray();
        var coordinator = system.ActorOf(CoordinatorProps(system, settings, data, observer, shards, resume), CoordinatorName);
        return new Roles(coordinator, shards);
    }

    /// <summary>On a ps node: the region that hosts whichever shards the sharding coordinator places here.</summary>
    public static IActorRef StartShardRegion(ActorSystem system, ActorTrainSettings settings, JobData data) =>
        ShardEntities.StartRegion(system, ShardProps(settings, data));

    /// <summary>On the coordinator node: the evaluator, and the coordinator as a cluster singleton.</summary>
    public static void StartHead(ActorSystem system, ActorTrainSettings settings, JobData data, IActorRef observer, IActorRef shardRegion,
        bool resume = false)
    {
        var shards = ShardEntities.Routes(system, shardRegion, data.Shards.ShardCount);
        system.ActorOf(ClusterSingletonManager.Props(
                CoordinatorProps(system, settings, data, observer, shards, resume),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(CoordinatorRole).WithSingletonName(CoordinatorSingletonName)),
            CoordinatorName);
    }

    /// <summary>On a worker node: proxies to the coordinator singleton and to the shard entities.</summary>
    public static Roles Join(ActorSystem system, int shardCount, IActorRef? shardRegion = null)
    {
        var coordinator = system.ActorOf(ClusterSingletonProxy.Props($"/user/{CoordinatorName}",
            ClusterSingletonProxySettings.Create(system).WithRole(CoordinatorRole).WithSingletonName(CoordinatorSingletonName)), "coordinator-proxy");
        var region = shardRegion ?? ShardEntities.StartProxy(system);
        return new Roles(coordinator, ShardEntities.Routes(system, region, shardCount));
    }

    public static IActorRef StartWorker(ActorSystem system, string workerId, long incarnation, Roles head, ActorTrainSettings settings, JobData data)
    {
        var plan = PlanOf(settings, data);
        var totalUpdates = TotalUpdates(settings, plan);
        var pushBytes = (long)data.Shards.TotalLength * PayloadCodec.BytesPerElement(settings.Wire.Encoding);
        return system.ActorOf(CrashSupervision.Props(TrainingWorker.Props(new WorkerSetup(workerId, incarnation, head.Coordinator, head.Shards, data.Shards, data.Model,
            data.Splits.Train, settings.Job.Mode, settings.Wire.Encoding, settings.LocalTraining, plan,
            settings.Persistence.UpstreamBackupBytes, settings.Persistence.ShardSnapshotPolicy(data.Shards.ShardCount).BackupFullWait(totalUpdates),
            settings.Persistence.UpstreamBackupWarning(settings.Job.Workers, totalUpdates, pushBytes))), CrashSupervision.WorkerChildName), workerId);
    }

    /// <summary>The job's data plan: the same on every node, since it depends only on the settings and the data.</summary>
    public static BatchPlan PlanOf(ActorTrainSettings settings, JobData data) =>
        new(data.Splits.Train.Count, settings.Training.MicroBatchSize, settings.Training.MicroBatchesPerStep, settings.Job.Epochs, settings.Job.Seed);

    /// <summary>Updates in the whole job: steps in BSP, micro-batches otherwise.</summary>
    private static long TotalUpdates(ActorTrainSettings settings, BatchPlan plan) =>
        settings.Job.Mode == ConsistencyMode.Bsp ? plan.TotalSteps : plan.TotalMicroBatches;

    /// <summary>Shard N's persistence id in this run (its snapshots; its checkpoint snapshots are under this id + "/checkpoints").</summary>
    public static string ShardPersistenceId(ActorTrainSettings settings, int shardId) => ShardDurability.PersistenceIdFor(settings.Persistence.RunId, shardId);

    /// <summary>Shard N's props, the same on every ps node: its range of the seeded initial weights, under its backoff supervisor.</summary>
    private static Func<int, Props> ShardProps(ActorTrainSettings settings, JobData data)
    {
        var initial = data.InitialWeights ?? ModelInitializer.InitialWeights(data.Parameters, settings.Job.Seed);
        var totalUpdates = TotalUpdates(settings, PlanOf(settings, data));
        var frozen = FrozenOf(settings, data.Parameters);
        return shardId =>
        {
            var r = data.Shards[shardId];
            return ShardSupervision.Props(ParameterShard.Props(r, initial[r.Start..r.End], settings.Optimizer, totalUpdates, settings.Job.Mode,
                settings.Wire.Encoding, new ShardDurability(ShardPersistenceId(settings, shardId), settings.Persistence.ShardSnapshotPolicy(data.Shards.ShardCount)),
                settings.Job.Staleness, settings.LocalTraining, frozen: frozen.Within(r)));
        };
    }

    /// <summary>actortrain.run.freeze, checked against the model: an unknown layer is refused with the model's layer names.</summary>
    public static FrozenRanges FrozenOf(ActorTrainSettings settings, ParameterLayout parameters)
    {
        try
        {
            return FrozenRanges.Of(parameters, settings.Run.Freeze);
        }
        catch (ArgumentException e)
        {
            throw new SettingsException($"{RunSettings.FreezeKey}: {e.Message.Replace(" (Parameter 'names')", "", StringComparison.Ordinal)}");
        }
    }

    /// <summary>The coordinator under its backoff supervisor (<see cref="CoordinatorSupervision"/>), with the evaluator it asks.</summary>
    private static Props CoordinatorProps(ActorSystem system, ActorTrainSettings settings, JobData data, IActorRef observer,
        IReadOnlyList<IActorRef> shards, bool resume)
    {
        var evaluator = system.ActorOf(CrashSupervision.Props(ValidationEvaluator.Props(
            new EvaluatorSetup(shards, data.Shards, data.Model, data.Splits.Validation, data.Splits.Test)), CrashSupervision.EvaluatorChildName), "evaluator");
        var plan = PlanOf(settings, data);
        var coordinator = JobCoordinator.Props(new CoordinatorSetup(plan, settings.Job.Mode, evaluator, shards, observer,
            settings.Evaluator.EveryUpdates, settings.Run.ProgressInterval, settings.Job.Staleness, settings.Job.InnerSteps, settings.Persistence.CoordinatorPersistenceId,
            [.. data.Shards.Ranges.Select(r => ShardCheckpoints.PersistenceIdOf(ShardPersistenceId(settings, r.ShardId)))],
            settings.Persistence.Checkpoint.Schedule(TotalUpdates(settings, plan)), settings.Persistence.CoordinatorSnapshotEvery, resume,
            settings.Evaluator.EverySeconds)
        {
            Control = new ControlSetup(settings.Policy.Policies, settings.Optimizer.ScheduleOver(TotalUpdates(settings, plan))) { Divergence = settings.Policy.Divergence },
        });
        return CoordinatorSupervision.Props(coordinator);
    }
}
