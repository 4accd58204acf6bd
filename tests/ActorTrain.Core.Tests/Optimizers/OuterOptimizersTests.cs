using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Numerics;
using ActorTrain.Core.Optimizers;
using Xunit;

namespace ActorTrain.Core.Tests.Optimizers;

/// <summary>The shards' outer steps for local SGD and DiLoCo, and how they share the shard's weights.</summary>
public sealed class OuterOptimizersTests
{
    private static OptimizerSpec Sgd(double rate, double momentum = 0) => new(OptimizerKind.Sgd, rate, momentum, 0, 0.9, 0.999, false);

    private static readonly OptimizerSpec AdamW = new(OptimizerKind.AdamW, 0.001, 0, 0.01, 0.9, 0.999, false);

    private static LocalTrainingSpec Spec(double localSgdOuterRate = 1.0) =>
        new(InnerSteps: 1, LocalSgdInner: Sgd(0.1), localSgdOuterRate, DiLoCoInner: AdamW, DiLoCoOuterLearningRate: 0.7, DiLoCoOuterMomentum: 0.9);

    [Fact]
    public void The_DiLoCo_outer_step_is_Nesterov_SGD_with_lr_0_7_and_momentum_0_9_as_computed_by_hand()
    {
        var shard = new ShardOptimizer([1f, -2f], Sgd(0.05));
        var outer = new OuterOptimizers(shard, Spec());

        // PyTorch's Nesterov SGD: buf = g on the first step, then buf = μ·buf + g; w −= lr · (g + μ·buf).
        outer.Apply(PushKind.DiLoCoPseudoGradient, [0.5f, 0.25f]);
        // update 1.9 · [0.5, 0.25] = [0.95, 0.475]; w = [1 − 0.665, −2 − 0.3325]
        AssertClose([0.335f, -2.3325f], shard.CurrentWeights);
        outer.Apply(PushKind.DiLoCoPseudoGradient, [-1f, 0.125f]);
        // buf = 0.9 · [0.5, 0.25] + [−1, 0.125] = [−0.55, 0.35]; update = [−1, 0.125] + 0.9 · buf = [−1.495, 0.44]
        AssertClose([0.335f + 0.7f * 1.495f, -2.3325f - 0.7f * 0.44f], shard.CurrentWeights);
    }

    [Fact]
    public void Two_pushes_per_step_move_the_weights_by_half_of_each_at_once_then_by_the_momentum_term_of_their_mean()
    {
        var shard = new ShardOptimizer([1f, -2f], Sgd(0.05));
        var step = new OuterStep(shard, new OuterStepSpec(LearningRate: 0.7, Momentum: 0.9, PushesPerStep: 2));

        step.Apply([0.5f, 0.25f]);
        // At once: w −= (0.7 / 2) · Δ; the momentum waits for the group's second push.
        AssertClose([1f - 0.35f * 0.5f, -2f - 0.35f * 0.25f], shard.CurrentWeights);
        step.Apply([-1f, 0.125f]);
        // Mean ḡ = [−0.25, 0.1875]; buf = ḡ; over the group w −= 0.7 · (ḡ + 0.9 · buf) = 0.7 · 1.9 · ḡ: one Nesterov step.
        AssertClose([1f + 0.7f * 1.9f * 0.25f, -2f - 0.7f * 1.9f * 0.1875f], shard.CurrentWeights);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OuterStepSpec(0.7, 0.9, PushesPerStep: 0));
    }

    [Fact]
    public void The_local_SGD_outer_step_subtracts_the_pseudo_gradient_scaled_by_its_rate()
    {
        var shard = new ShardOptimizer([1f, -2f], Sgd(0.05, momentum: 0.9));
        var outer = new OuterOptimizers(shard, Spec(localSgdOuterRate: 0.5));

        outer.Apply(PushKind.LocalSgdPseudoGradient, [0.5f, -0.25f]);
        outer.Apply(PushKind.LocalSgdPseudoGradient, [0.5f, -0.25f]);

        // No momentum: twice w −= 0.5 · Δ.
        Assert.Equal([0.5f, -1.75f], shard.Weights());
    }

    [Fact]
    public void Local_SGD_with_H_1_and_outer_rate_1_gives_the_weights_plain_SGD_at_the_shard_gives()
    {
        float[] start = [0.5f, -1.25f, 3.1f, 0.1f, 7.75f, -0.3f];
        float[] meanGradient = [0.3f, -2.5f, 1e-3f, 4f, -0.7f, 10f];
        var sgd = Sgd(0.01);

        // The worker: one inner step from the pulled weights, then its pseudo-gradient.
        var replica = new ShardOptimizer(start, sgd);
        replica.Apply(meanGradient);
        var delta = new float[start.Length];
        FloatSpans.Difference(start, replica.CurrentWeights, delta);
        // The shard: the outer step w − 1 · Δ.
        var shard = new ShardOptimizer(start, sgd);
        new OuterOptimizers(shard, Spec(localSgdOuterRate: 1.0)).Apply(PushKind.LocalSgdPseudoGradient, delta);

        var plain = new ShardOptimizer(start, sgd);
        plain.Apply(meanGradient);
        // Bit for bit: each step is small next to its weight, so start − end is exact (Sterbenz) and so is start − Δ.
        Assert.Equal(plain.Weights(), shard.Weights());
    }

    [Fact]
    public void Outer_steps_move_the_shard_s_weights_but_keep_a_momentum_of_their_own()
    {
        var shard = new ShardOptimizer([0f], Sgd(1.0, momentum: 0.5));
        var outer = new OuterOptimizers(shard, Spec());

        outer.Apply(PushKind.DiLoCoPseudoGradient, [1f]); // Nesterov, first step: w −= 0.7 · 1.9
        shard.Apply([1f]);                                 // the shard's own SGD, first step: w −= 1 · 1
        outer.Apply(PushKind.DiLoCoPseudoGradient, [0f]); // buf = 0.9 · 1 + 0 (untouched by the shard's step); w −= 0.7 · 0.81

        Assert.Equal(-(0.7f * 1.9f) - 1f - 0.7f * 0.81f, shard.CurrentWeights[0], 1e-6f);
        Assert.Same(outer.For(PushKind.DiLoCoPseudoGradient), outer.For(PushKind.DiLoCoPseudoGradient));
        Assert.Throws<ArgumentOutOfRangeException>(() => outer.For(PushKind.Gradient));
    }

    [Fact]
    public void Replacing_the_weights_keeps_the_optimizer_s_state()
    {
        var inner = new ShardOptimizer([0f], Sgd(1.0, momentum: 0.5));
        inner.Apply([1f]);            // buf = 1, w = −1
        inner.ReplaceWeights([10f]);  // a new round starts from the shards' weights
        inner.Apply([1f]);            // buf = 0.5 · 1 + 1 = 1.5

        Assert.Equal([8.5f], inner.Weights());
        Assert.Throws<ArgumentException>(() => inner.ReplaceWeights([1f, 2f]));
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }
}
