using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using Akka.Actor;

namespace ActorTrain.Actors.Evaluator;

/// <summary>What the evaluator needs: the shards to pull from, the model, and the held-out splits. Local only.</summary>
public sealed record EvaluatorSetup(
    IReadOnlyList<IActorRef> Shards,
    ShardLayout Layout,
    ModelSpec Model,
    LabeledSamples Validation,
    LabeledSamples Test);
