using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Optimizers;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Tests.Optimizers;

/// <summary>The shard's own optimizer against TorchSharp's, step by step, on the same parameter and gradients.</summary>
public sealed class ShardOptimizerTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, false)]
    [InlineData(OptimizerKind.Sgd, true)]
    [InlineData(OptimizerKind.Adam, false)]
    [InlineData(OptimizerKind.AdamW, false)]
    public void A_shard_steps_like_torch_s_optimizer_on_the_same_parameter(OptimizerKind kind, bool nesterov)
    {
        var spec = new OptimizerSpec(kind, 0.01, 0.9, 0.01, 0.9, 0.999, nesterov);
        float[] initial = [0.5f, -1f, 2f, 0.25f, -0.125f];
        float[][] gradients = [[1f, 2f, -3f, 0.5f, 0f], [-0.5f, 0.25f, 1f, 2f, -1f], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f], [3f, -2f, 1f, 0f, -1f]];

        var shard = new ShardOptimizer(initial, spec);
        foreach (var g in gradients) shard.Apply(g);

        var expected = TorchReference(initial, gradients, Torch(spec));

        // Same rules, not necessarily the same rounding (torch may fuse a multiply-add): equal to 1e-6.
        var actual = shard.Weights();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
        Assert.NotEqual(initial, actual);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, false)]
    [InlineData(OptimizerKind.Sgd, true)]
    [InlineData(OptimizerKind.Adam, false)]
    [InlineData(OptimizerKind.AdamW, false)]
    public void A_range_longer_than_a_vector_steps_like_torch(OptimizerKind kind, bool nesterov)
    {
        // 37 elements: whole SIMD vectors plus a scalar tail.
        var initial = Enumerable.Range(0, 37).Select(i => (i % 7 - 3) * 0.37f).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, 37).Select(i => ((i * 13 + s * 5) % 11 - 5) * 0.21f).ToArray()).ToArray();
        var spec = new OptimizerSpec(kind, 0.05, 0.9, 0.001, 0.9, 0.999, nesterov);
        var shard = new ShardOptimizer(initial, spec);
        foreach (var g in gradients) shard.Apply(g);

        var expected = TorchReference(initial, gradients, Torch(spec));
        var actual = shard.Weights();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DiLoCo_s_outer_step_over_N_pushes_is_torch_s_Nesterov_SGD_step_with_their_mean(int pushesPerStep)
    {
        // The paper's outer values, over pseudo-gradients of a 37-element shard (vector body and scalar tail).
        var initial = Enumerable.Range(0, 37).Select(i => (i % 5 - 2) * 0.41f).ToArray();
        var pushes = Enumerable.Range(0, 4 * pushesPerStep)
            .Select(p => Enumerable.Range(0, 37).Select(i => ((i * 7 + p * 3) % 13 - 6) * 0.013f).ToArray()).ToArray();
        var shard = new ShardOptimizer(initial, new OptimizerSpec(OptimizerKind.Sgd, 0.05, 0.9, 0, 0.9, 0.999, false));
        var outer = new OuterStep(shard, new OuterStepSpec(LearningRate: 0.7, Momentum: 0.9, pushesPerStep));
        foreach (var push in pushes) outer.Apply(push);

        var means = pushes.Chunk(pushesPerStep)
            .Select(group => Enumerable.Range(0, 37).Select(i => group.Sum(g => g[i]) / pushesPerStep).ToArray()).ToArray();
        var expected = TorchReference(initial, means, parameter => optim.SGD([parameter], 0.7, 0.9, nesterov: true));
        var actual = shard.Weights();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    /// <summary>TorchSharp's optimizer for <paramref name="spec"/> (its schedule aside).</summary>
    private static Func<Parameter, optim.Optimizer> Torch(OptimizerSpec spec) => parameter => spec.Kind switch
    {
        OptimizerKind.Sgd => optim.SGD([parameter], spec.LearningRate, spec.Momentum, weight_decay: spec.WeightDecay, nesterov: spec.Nesterov),
        OptimizerKind.Adam => optim.Adam([parameter], spec.LearningRate, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
        _ => optim.AdamW([parameter], spec.LearningRate, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
    };

    /// <summary>TorchSharp's optimizer over one parameter, stepped with the given gradients: the weights it ends with.</summary>
    private static float[] TorchReference(float[] initial, float[][] gradients, Func<Parameter, optim.Optimizer> create)
    {
        using var reference = new Parameter(tensor(initial));
        using var optimizer = create(reference);
        foreach (var g in gradients)
        {
            optimizer.zero_grad();
            (reference * tensor(g)).sum().backward();
            optimizer.step();
        }
        return reference.data<float>().ToArray();
    }

    [Fact]
    public void The_learning_rate_can_change_between_steps()
    {
        var shard = new ShardOptimizer([1f], new OptimizerSpec(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false));
        shard.Apply([1f]);
        shard.SetLearningRate(0.5);
        shard.Apply([1f]);
        Assert.Equal([-0.5f], shard.Weights());
    }

    [Fact]
    public void The_same_gradients_give_bitwise_the_same_weights()
    {
        var spec = new OptimizerSpec(OptimizerKind.Adam, 0.003, 0, 0, 0.9, 0.999, false);
        var a = new ShardOptimizer([0.1f, 0.2f, 0.3f], spec);
        var b = new ShardOptimizer([0.1f, 0.2f, 0.3f], spec);
        foreach (var g in new float[][] { [1f, -1f, 0.5f], [0.25f, 0f, -2f] })
        {
            a.Apply(g);
            b.Apply(g);
        }
        Assert.Equal(a.Weights(), b.Weights());
    }
}
