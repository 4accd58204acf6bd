using ActorTrain.Core.Hyperparameters;
using ActorTrain.Torch.Optimizers;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Tests.Optimizers;

public sealed class ShardOptimizerTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void A_shard_steps_exactly_like_torch_s_optimizer_on_the_same_parameter(OptimizerKind kind)
    {
        var spec = new OptimizerSpec(kind, 0.01, 0.9, 0.01, 0.9, 0.999, false);
        float[] initial = [0.5f, -1f, 2f, 0.25f, -0.125f];
        float[][] gradients = [[1f, 2f, -3f, 0.5f, 0f], [-0.5f, 0.25f, 1f, 2f, -1f], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f]];

        using var shard = new ShardOptimizer(initial, spec);
        foreach (var g in gradients) shard.Apply(g);

        using var reference = new Parameter(tensor(initial));
        using optim.Optimizer optimizer = kind switch
        {
            OptimizerKind.Sgd => optim.SGD([reference], 0.01, 0.9, weight_decay: 0.01),
            OptimizerKind.Adam => optim.Adam([reference], 0.01, 0.9, 0.999, weight_decay: 0.01),
            _ => optim.AdamW([reference], 0.01, 0.9, 0.999, weight_decay: 0.01),
        };
        foreach (var g in gradients)
        {
            optimizer.zero_grad();
            (reference * tensor(g)).sum().backward();
            optimizer.step();
        }

        Assert.Equal(reference.data<float>().ToArray(), shard.Weights());
    }

    [Fact]
    public void The_learning_rate_can_change_between_steps()
    {
        using var shard = new ShardOptimizer([1f], new OptimizerSpec(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false));
        shard.Apply([1f]);
        shard.SetLearningRate(0.5);
        shard.Apply([1f]);
        Assert.Equal([-0.5f], shard.Weights());
    }
}
