using ActorTrain.Core.Augmentation;
using Xunit;

namespace ActorTrain.Core.Tests.Augmentation;

public sealed class ImageAugmentationTests
{
    // One channel, 3×3:  1 2 3 / 4 5 6 / 7 8 9 (its background, the smallest value, is 1).
    private static readonly float[] Image = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    private static float[] Transformed(int dy, int dx, bool flip)
    {
        var target = new float[9];
        ImageAugmentation.Transform(Image, target, 1, 3, 3, dy, dx, flip);
        return target;
    }

    [Fact]
    public void A_crop_offset_shifts_the_image_and_fills_with_its_background() =>
        // Window one row down, one column left: output (y, x) = source (y + 1, x − 1).
        Assert.Equal([1f, 4, 5, 1, 7, 8, 1, 1, 1], Transformed(dy: 1, dx: -1, flip: false));

    [Fact]
    public void A_flip_mirrors_each_row_and_composes_with_the_crop()
    {
        Assert.Equal([3f, 2, 1, 6, 5, 4, 9, 8, 7], Transformed(0, 0, flip: true));
        // mirrored, then source column + 1: output (y, x) = source (y, 2 − x + 1).
        Assert.Equal([1f, 3, 2, 1, 6, 5, 1, 9, 8], Transformed(0, 1, flip: true));
    }

    [Fact]
    public void The_same_seed_and_micro_batch_give_the_same_batch_and_another_micro_batch_another()
    {
        var augmentation = new ImageAugmentation(CropPadding: 2, HorizontalFlip: true);
        float[] Batch(ulong seed, int epoch, int microBatch)
        {
            var batch = Enumerable.Range(0, 8 * 36).Select(i => (float)(i % 37)).ToArray();
            augmentation.Apply(batch, 8, 1, 6, 6, seed, MicroBatchSeed.Key(epoch, microBatch));
            return batch;
        }
        var original = Enumerable.Range(0, 8 * 36).Select(i => (float)(i % 37)).ToArray();
        Assert.Equal(Batch(7, 1, 3), Batch(7, 1, 3));
        Assert.NotEqual(original, Batch(7, 1, 3));
        Assert.NotEqual(Batch(7, 1, 3), Batch(7, 1, 4));
        Assert.NotEqual(Batch(7, 1, 3), Batch(7, 2, 3));
        Assert.NotEqual(Batch(7, 1, 3), Batch(8, 1, 3));
    }

    [Fact]
    public void Off_leaves_the_batch_untouched()
    {
        var batch = (float[])Image.Clone();
        ImageAugmentation.None.Apply(batch, 1, 1, 3, 3, 1, 1);
        Assert.Equal(Image, batch);
    }

    [Fact]
    public void Micro_batch_keys_differ_by_epoch_and_number() =>
        Assert.Equal(4, new[] { MicroBatchSeed.Key(0, 1), MicroBatchSeed.Key(1, 0), MicroBatchSeed.Key(1, 1), MicroBatchSeed.Key(0, 0) }.Distinct().Count());
}
