using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Training;
using Xunit;

namespace ActorTrain.Torch.Tests.Training;

public sealed class ReplicaTrainerTests
{
    private static LabeledSamples Images(int count)
    {
        var features = Enumerable.Range(0, count * 784).Select(i => (i % 29) / 29f - 0.5f).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        return new LabeledSamples("images", features, labels, 784, 10, [1, 28, 28]);
    }

    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.Cnn)]
    public void The_gradient_of_a_micro_batch_is_the_sum_of_its_samples_gradients(ModelKind kind)
    {
        var spec = new ModelSpec(kind, [1, 28, 28], 10, [32]);
        using var trainer = new ReplicaTrainer(spec);
        var weights = ModelInitializer.InitialWeights(trainer.Flat.Layout, 1);
        var data = Images(4);

        var together = new float[trainer.ParameterCount];
        var result = trainer.ComputeGradient(weights, data, [0, 1, 2, 3], together);
        var sum = new float[trainer.ParameterCount];
        var lossSum = 0f;
        for (var i = 0; i < 4; i++)
        {
            var single = new float[trainer.ParameterCount];
            lossSum += trainer.ComputeGradient(weights, data, [i], single).LossSum;
            for (var j = 0; j < sum.Length; j++) sum[j] += single[j];
        }

        Assert.Equal(4, result.Samples);
        Assert.Equal(lossSum, result.LossSum, 3);
        for (var j = 0; j < sum.Length; j++) Assert.Equal(sum[j], together[j], 3);
        Assert.Contains(together, g => g != 0f);
    }

    [Fact]
    public void The_same_weights_and_samples_give_bitwise_identical_gradients()
    {
        var spec = new ModelSpec(ModelKind.Mlp, [1, 28, 28], 10, [64]);
        using var a = new ReplicaTrainer(spec);
        using var b = new ReplicaTrainer(spec);
        var weights = ModelInitializer.InitialWeights(a.Flat.Layout, 9);
        var data = Images(16);
        int[] rows = [3, 1, 4, 15, 9, 2, 6, 5];
        var ga = new float[a.ParameterCount];
        var gb = new float[b.ParameterCount];
        a.ComputeGradient(weights, data, rows, ga);
        b.ComputeGradient(weights, data, [0, 1], gb); // a different batch first: buffers must not leak between steps
        b.ComputeGradient(weights, data, rows, gb);
        Assert.Equal(ga, gb);
    }
}
