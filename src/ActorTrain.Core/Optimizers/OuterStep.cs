using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Numerics;

namespace ActorTrain.Core.Optimizers;

/// <summary>
/// The outer step a shard applies to local SGD and DiLoCo pseudo-gradients as they arrive: SGD with Nesterov momentum,
/// spread over groups of <see cref="OuterStepSpec.PushesPerStep"/> pushes (N). Each push moves the weights at once by
/// lr/N times its pseudo-gradient; the N-th push of a group also applies the momentum term, updating the momentum
/// buffer with the group's mean pseudo-gradient ḡ: buf = μ·buf + ḡ (buf = ḡ the first time), w −= lr·μ·buf. Over the
/// group the weights move by lr·(ḡ + μ·buf), exactly PyTorch's Nesterov step with the mean: synchronous DiLoCo's
/// averaged outer step, without a barrier. With N = 1 it is Nesterov SGD on every push; with μ = 0, plain SGD at lr/N.
/// Steps the weights of the shard optimizer it is made from, keeping a state of its own. Use from one thread.
/// </summary>
public sealed class OuterStep
{
    private readonly ShardOptimizer _immediate;
    private readonly ShardOptimizer? _momentum;
    private readonly float[]? _sum;
    private int _pending;

    public OuterStep(ShardOptimizer shard, OuterStepSpec spec)
    {
        Spec = spec;
        _immediate = shard.Sharing(new OptimizerSpec(OptimizerKind.Sgd, spec.LearningRate / spec.PushesPerStep, 0, 0, 0.9, 0.999, false));
        if (spec.Momentum == 0) return;
        // PyTorch's SGD with momentum μ and rate lr·μ: buf = μ·buf + g, w −= lr·μ·buf.
        _momentum = shard.Sharing(new OptimizerSpec(OptimizerKind.Sgd, spec.LearningRate * spec.Momentum, spec.Momentum, 0, 0.9, 0.999, false));
        _sum = new float[shard.Length];
    }

    public OuterStepSpec Spec { get; }

    /// <summary>The pseudo-gradient buffer: fill it (decode a payload straight into it), then <see cref="Step"/>.</summary>
    public Span<float> Gradient => _immediate.Gradient;

    /// <summary>Applies the pseudo-gradient in <see cref="Gradient"/>.</summary>
    public void Step()
    {
        _immediate.Step();
        if (_momentum is null) return;
        FloatSpans.AddInto(_sum, _immediate.Gradient);
        if (++_pending < Spec.PushesPerStep) return;
        FloatSpans.DivideInto(_sum, _momentum.Gradient, Spec.PushesPerStep);
        _momentum.Step();
        Array.Clear(_sum!);
        _pending = 0;
    }

    /// <summary>Copies <paramref name="pseudoGradient"/> into <see cref="Gradient"/> and applies it.</summary>
    public void Apply(ReadOnlySpan<float> pseudoGradient)
    {
        pseudoGradient.CopyTo(Gradient);
        Step();
    }
}
