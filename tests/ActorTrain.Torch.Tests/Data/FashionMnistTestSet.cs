using ActorTrain.Torch.Data;

namespace ActorTrain.Torch.Tests.Data;

/// <summary>
/// A small stand-in for Fashion-MNIST: 28×28 images whose first two pixels spell the row number, so each
/// loaded row can be traced back to the file row it came from.
/// </summary>
internal static class FashionMnistTestSet
{
    public const int PixelsPerImage = 28 * 28;

    public static byte Pixel(int row, int j) => j switch
    {
        0 => (byte)(row & 0xff),
        1 => (byte)(row >> 8),
        _ => (byte)((row * 7 + j) % 256),
    };

    public static byte TrainLabel(int row) => (byte)(row % 10);

    public static byte TestLabel(int row) => (byte)((row + 3) % 10);

    public static void Write(string directory, int trainCount, int testCount, bool gzip)
    {
        Save(directory, "train-images-idx3-ubyte", IdxWriter.Images(trainCount, 28, 28, Pixel), gzip);
        Save(directory, "train-labels-idx1-ubyte", IdxWriter.Labels(Enumerable.Range(0, trainCount).Select(TrainLabel).ToArray()), gzip);
        Save(directory, "t10k-images-idx3-ubyte", IdxWriter.Images(testCount, 28, 28, Pixel), gzip);
        Save(directory, "t10k-labels-idx1-ubyte", IdxWriter.Labels(Enumerable.Range(0, testCount).Select(TestLabel).ToArray()), gzip);
    }

    public static void Save(string directory, string name, byte[] raw, bool gzip) =>
        File.WriteAllBytes(Path.Combine(directory, gzip ? name + ".gz" : name), gzip ? IdxWriter.Gzip(raw) : raw);

    public static float Normalised(byte value) => (value / 255f - 0.2860f) / 0.3530f;

    /// <summary>The file row a loaded sample came from, read back from its first two pixels.</summary>
    public static int RowOf(LabeledSamples samples, int index)
    {
        var features = samples.Features.AsSpan(index * PixelsPerImage, 2);
        return Byte(features[0]) | Byte(features[1]) << 8;
    }

    private static int Byte(float normalised) => (int)MathF.Round((normalised * 0.3530f + 0.2860f) * 255f);
}
