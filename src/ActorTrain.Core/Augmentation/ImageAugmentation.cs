using ActorTrain.Core.Randomness;

namespace ActorTrain.Core.Augmentation;

/// <summary>
/// Random crop with padding and horizontal flip of image batches, drawn from the job seed and the micro-batch's key
/// alone. A crop pads each side by <see cref="CropPadding"/> pixels and takes a window of the original size at a
/// random offset; the padding takes the image's own smallest value (its background: black on Fashion-MNIST, in the
/// normalised scale). A flip mirrors left and right with probability ½.
/// </summary>
public sealed record ImageAugmentation(int CropPadding, bool HorizontalFlip)
{
    public static readonly ImageAugmentation None = new(0, false);

    public bool Enabled => CropPadding > 0 || HorizontalFlip;

    /// <summary>Augments <paramref name="count"/> images of [channels, height, width] in place.</summary>
    public void Apply(Span<float> batch, int count, int channels, int height, int width, ulong seed, ulong batchKey)
    {
        if (!Enabled) return;
        var size = channels * height * width;
        if (batch.Length < count * size)
            throw new ArgumentException($"{count} images of {size} values need {count * size}, the batch has {batch.Length}", nameof(batch));
        var random = SplitMix64.For(seed, RandomPurpose.Augmentation, batchKey);
        var source = new float[size];
        for (var i = 0; i < count; i++)
        {
            // Drawn in a fixed order for every image, whether or not a transform is on, so one setting does not shift the other's numbers.
            var dy = random.NextInt(2 * CropPadding + 1) - CropPadding;
            var dx = random.NextInt(2 * CropPadding + 1) - CropPadding;
            var flip = HorizontalFlip && (random.NextUInt64() & 1) == 1;
            var image = batch.Slice(i * size, size);
            image.CopyTo(source);
            Transform(source, image, channels, height, width, dy, dx, flip);
        }
    }

    /// <summary>Output pixel (y, x) is source pixel (y + dy, x' + dx), x' = x mirrored when flipped; outside the source: the fill.</summary>
    public static void Transform(ReadOnlySpan<float> source, Span<float> target, int channels, int height, int width, int dy, int dx, bool flip)
    {
        var fill = float.PositiveInfinity;
        foreach (var v in source) fill = Math.Min(fill, v);
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    int sy = y + dy, sx = (flip ? width - 1 - x : x) + dx;
                    target[(c * height + y) * width + x] = sy < 0 || sy >= height || sx < 0 || sx >= width
                        ? fill
                        : source[(c * height + sy) * width + sx];
                }
    }
}
