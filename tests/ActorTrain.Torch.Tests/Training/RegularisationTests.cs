using ActorTrain.Core.Augmentation;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Evaluation;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Training;
using Xunit;

namespace ActorTrain.Torch.Tests.Training;

/// <summary>Dropout, batch normalisation and augmentation: seeded by the micro-batch, so the same micro-batch gives the same gradient anywhere.</summary>
public sealed class RegularisationTests
{
    private static readonly ModelSpec Cnn = new(ModelKind.Cnn, [1, 28, 28], 10, [32], Dropout: 0.5, BatchNorm: true,
        Augmentation: new ImageAugmentation(2, true), Seed: 11);

    private static LabeledSamples Images(int count)
    {
        var features = Enumerable.Range(0, count * 784).Select(i => (i * 7 % 31) / 31f - 0.5f).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        return new LabeledSamples("images", features, labels, 784, 10, [1, 28, 28]);
    }

    private static float[] Gradient(ModelSpec spec, ulong batchKey)
    {
        using var trainer = new ReplicaTrainer(spec);
        var weights = ModelInitializer.InitialWeights(trainer.Flat.Layout, 3);
        var gradient = new float[trainer.ParameterCount];
        trainer.ComputeGradient(weights, Images(6), [0, 1, 2, 3, 4, 5], gradient, batchKey);
        return gradient;
    }

    [Fact]
    public void Two_replicas_give_the_same_gradient_for_the_same_micro_batch_and_another_for_another()
    {
        var key = MicroBatchSeed.Key(2, 5);
        Assert.Equal(Gradient(Cnn, key), Gradient(Cnn, key));
        Assert.NotEqual(Gradient(Cnn, key), Gradient(Cnn, MicroBatchSeed.Key(2, 6)));
        Assert.NotEqual(Gradient(Cnn, key), Gradient(Cnn with { Seed = 12 }, key));
    }

    [Fact]
    public void Dropout_and_augmentation_change_the_gradient_and_each_is_seeded_on_its_own()
    {
        var key = MicroBatchSeed.Key(0, 1);
        var plain = Gradient(Cnn with { Dropout = 0, Augmentation = null }, key);
        Assert.NotEqual(plain, Gradient(Cnn with { Augmentation = null }, key));
        Assert.NotEqual(plain, Gradient(Cnn with { Dropout = 0 }, key));
        Assert.Equal(Gradient(Cnn with { Dropout = 0 }, key), Gradient(Cnn with { Dropout = 0 }, key));
    }

    [Fact]
    public void Batch_norm_layers_start_at_scale_one_shift_zero_and_evaluation_ignores_dropout()
    {
        using var trainer = new ReplicaTrainer(Cnn);
        var layout = trainer.Flat.Layout;
        var weights = ModelInitializer.InitialWeights(layout, 3);
        var names = layout.Tensors.Select(t => t.Name).ToList();
        Assert.Contains("bn1.weight", names);
        Assert.Contains("bn2.bias", names);
        foreach (var t in layout.Tensors.Where(t => t.Name.StartsWith("bn", StringComparison.Ordinal)))
            Assert.All(weights.AsSpan(t.Offset, t.Length).ToArray(), w => Assert.Equal(t.Name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f, w));
        using var evaluator = new ModelEvaluator(Cnn);
        var first = evaluator.Evaluate(weights, Images(20));
        var second = evaluator.Evaluate(weights, Images(20));
        Assert.Equal(first.MeanLoss, second.MeanLoss);
        Assert.Equal(first.Confusion.ToCounts(), second.Confusion.ToCounts());
    }

    [Fact]
    public void Augmentation_is_refused_for_inputs_that_are_not_images() =>
        Assert.Contains("augmentation is for images",
            Assert.Throws<ArgumentException>(() => new ReplicaTrainer(new ModelSpec(ModelKind.Mlp, [32], 4, [8], Augmentation: new ImageAugmentation(1, false)))).Message);
}
