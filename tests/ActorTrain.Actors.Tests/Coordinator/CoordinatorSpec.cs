using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Durability;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>
/// A TestKit for the persistent coordinator against probes for its shards, evaluator and observer, with the in-memory
/// journal and every message through the wire serializer.
/// </summary>
public abstract class CoordinatorSpec : Akka.TestKit.Xunit2.TestKit
{
    // 8 samples in micro-batches of 2: 4 per epoch, 2 per step, so 2 steps per epoch; 3 epochs: 6 steps, 12 micro-batches.
    protected static readonly BatchPlan Plan = new(trainCount: 8, microBatchSize: 2, microBatchesPerStep: 2, epochs: 3, seed: 1);
    private readonly string _persistenceId = $"spec-{Guid.NewGuid():N}/coordinator";

    protected CoordinatorSpec()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        Shards = [CreateTestProbe(), CreateTestProbe()];
        Evaluator = CreateTestProbe();
        Observer = CreateTestProbe();
        Observer.IgnoreMessages<JobProgressed>();
    }

    protected TestProbe[] Shards { get; }
    protected TestProbe Evaluator { get; }
    protected TestProbe Observer { get; }

    /// <summary>A coordinator of this spec's job (its journal is the spec's: a second one replays the first's).</summary>
    protected IActorRef Coordinator(ConsistencyMode mode, CheckpointSchedule checkpoints, bool resume = false) =>
        Coordinator(mode, checkpoints, [.. Shards.Select(s => s.Ref)], resume);

    /// <summary>A coordinator of this spec's job whose shards are <paramref name="shards"/> (real ones, say) instead of the probes.</summary>
    protected IActorRef Coordinator(ConsistencyMode mode, CheckpointSchedule checkpoints, IReadOnlyList<IActorRef> shards, bool resume = false) =>
        Sys.ActorOf(JobCoordinator.Props(new CoordinatorSetup(Plan, mode, Evaluator.Ref, shards, Observer.Ref,
            EvaluateEveryUpdates: 0, ProgressInterval: TimeSpan.FromHours(1), Staleness: 0, InnerSteps: 0, _persistenceId, ["shard-0/checkpoints", "shard-1/checkpoints"],
            checkpoints, SnapshotEvery: 5, resume)));

    protected void Stop(IActorRef coordinator)
    {
        Watch(coordinator);
        Sys.Stop(coordinator);
        ExpectTerminated(coordinator);
    }

    /// <summary>Answers the final evaluation and the shards' statistics; gives what the observer is told at the end.</summary>
    protected JobCompleted Finish()
    {
        Assert.True(Evaluator.FishForMessage(m => m is EvaluateParameters { Final: true }) is EvaluateParameters);
        Evaluator.Reply(new ParametersEvaluated(6, 6, 0.5, 0.75, true, 0.5, 0.75, "weights"));
        for (var s = 0; s < Shards.Length; s++)
        {
            Shards[s].FishForMessage(m => m is ReportStatistics);
            Shards[s].Reply(new ShardStatistics(s, 6, [], []));
        }
        return (JobCompleted)Observer.FishForMessage(m => m is JobCompleted);
    }
}
