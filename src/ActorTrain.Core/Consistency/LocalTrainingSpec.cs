using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Optimizers;

namespace ActorTrain.Core.Consistency;

/// <summary>
/// Local SGD's and DiLoCo's optimizers: H inner steps per round on the worker's replica, and the outer step each
/// shard applies to a round's pseudo-gradient. Local SGD's inner optimizer is the job's own; its outer step is
/// plain SGD (no momentum) at <paramref name="LocalSgdOuterLearningRate"/>. DiLoCo's inner optimizer is AdamW,
/// its outer one SGD with Nesterov momentum. Outer rates are constant: they act on whole rounds.
/// </summary>
public sealed record LocalTrainingSpec(
    int InnerSteps,
    OptimizerSpec LocalSgdInner,
    double LocalSgdOuterLearningRate,
    OptimizerSpec DiLoCoInner,
    double DiLoCoOuterLearningRate,
    double DiLoCoOuterMomentum,
    int DiLoCoPushesPerStep = 1)
{
    /// <summary>The optimizer a worker runs over its replica in rounds of <paramref name="mode"/>.</summary>
    public OptimizerSpec Inner(ConsistencyMode mode) => mode switch
    {
        ConsistencyMode.LocalSgd => LocalSgdInner,
        ConsistencyMode.DiLoCo => DiLoCoInner,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "only local-sgd and diloco train local rounds"),
    };

    /// <summary>The outer step a shard applies pushes of <paramref name="kind"/> with.</summary>
    public OuterStepSpec Outer(PushKind kind) => kind switch
    {
        PushKind.LocalSgdPseudoGradient => new OuterStepSpec(LocalSgdOuterLearningRate, Momentum: 0, PushesPerStep: 1),
        PushKind.DiLoCoPseudoGradient => new OuterStepSpec(DiLoCoOuterLearningRate, DiLoCoOuterMomentum, DiLoCoPushesPerStep),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "gradients are applied by the shard's own optimizer"),
    };
}
