using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Akka.Actor;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// What the coordinator owns from the start: the data plan, the mode with SSP's bound and local rounds' H, and whom it
/// reports to. Local only.
/// </summary>
public sealed record CoordinatorSetup(
    BatchPlan Plan,
    ConsistencyMode Mode,
    IActorRef Evaluator,
    IReadOnlyList<IActorRef> Shards,
    IActorRef Observer,
    int EvaluateEveryUpdates,
    TimeSpan ProgressInterval,
    int Staleness,
    int InnerSteps);
