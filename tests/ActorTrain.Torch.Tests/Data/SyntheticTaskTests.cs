using ActorTrain.Torch.Data;
using Xunit;

namespace ActorTrain.Torch.Tests.Data;

public sealed class SyntheticTaskTests
{
    private static readonly SyntheticOptions Options = new(
        TrainSize: 2000, ValidationSize: 300, TestSize: 1000, FeatureCount: 32, ClassCount: 4, Seed: 17, Noise: 1.0f);

    [Fact]
    public void The_same_options_give_identical_arrays()
    {
        var first = SyntheticTask.Create(Options);
        var again = SyntheticTask.Create(Options);

        foreach (var (a, b) in new[] { (first.Train, again.Train), (first.Validation, again.Validation), (first.Test, again.Test) })
        {
            Assert.Equal(a.Features, b.Features);
            Assert.Equal(a.Labels, b.Labels);
        }
    }

    [Fact]
    public void Another_seed_gives_other_data()
    {
        var first = SyntheticTask.Create(Options);
        var other = SyntheticTask.Create(Options with { Seed = 18 });

        Assert.NotEqual(first.Train.Features, other.Train.Features);
        Assert.NotEqual(first.Train.Labels, other.Train.Labels);
    }

    [Fact]
    public void The_splits_have_the_requested_sizes_and_shape()
    {
        var splits = SyntheticTask.Create(Options);

        Assert.Equal((2000, 300, 1000), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal([32], splits.Test.SampleShape);
        Assert.Equal((32, 4), (splits.Validation.FeatureCount, splits.Validation.ClassCount));
        Assert.Equal(2000 * 32, splits.Train.Features.Length);
        Assert.Equal(
            ["synthetic/train", "synthetic/validation", "synthetic/test"],
            [splits.Train.Name, splits.Validation.Name, splits.Test.Name]);
    }

    [Fact]
    public void Changing_the_training_size_leaves_the_test_split_as_it_was()
    {
        var small = SyntheticTask.Create(Options);
        var large = SyntheticTask.Create(Options with { TrainSize = 5000 });

        Assert.Equal(small.Test.Features, large.Test.Features);
        Assert.Equal(small.Train.Features, large.Train.Features[..small.Train.Features.Length]);
    }

    [Fact]
    public void Classes_are_drawn_about_uniformly()
    {
        var counts = SyntheticTask.Create(Options).Train.Labels.CountBy(l => l).OrderBy(p => p.Key).ToArray();

        Assert.Equal([0, 1, 2, 3], counts.Select(p => (int)p.Key));
        Assert.All(counts, p => Assert.InRange(p.Value, 400, 600));
    }

    [Fact]
    public void With_unit_noise_a_nearest_centroid_rule_learned_on_train_is_over_90_percent_right_on_test()
    {
        var splits = SyntheticTask.Create(Options);
        var centroids = new double[4, 32];
        var sizes = new int[4];
        for (var i = 0; i < splits.Train.Count; i++)
        {
            var label = splits.Train.Labels[i];
            sizes[label]++;
            for (var j = 0; j < 32; j++) centroids[label, j] += splits.Train.Features[i * 32 + j];
        }

        var right = 0;
        for (var i = 0; i < splits.Test.Count; i++)
        {
            var best = Enumerable.Range(0, 4).MinBy(c => Enumerable.Range(0, 32)
                .Sum(j => Math.Pow(splits.Test.Features[i * 32 + j] - centroids[c, j] / sizes[c], 2)));
            if (best == splits.Test.Labels[i]) right++;
        }

        Assert.InRange(right / (double)splits.Test.Count, 0.9, 1.0);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_reason()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTask.Create(Options with { ClassCount = 1 }));

        Assert.StartsWith("ClassCount must be between 2 and 256.", error.Message);
    }
}
