using ActorTrain.Torch.Data;
using Xunit;

namespace ActorTrain.Torch.Tests.Data;

public sealed class FashionMnistLoadTests : IDisposable
{
    private const int TrainCount = 300;
    private const int TestCount = 20;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Validation_rows_are_held_out_of_the_training_file_without_overlap()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: true);

        var splits = FashionMnist.LoadFrom(_dir.Path, validationSize: 40, seed: 7);

        var trainRows = RowsOf(splits.Train);
        var validationRows = RowsOf(splits.Validation);
        Assert.Equal(260, trainRows.Length);
        Assert.Equal(40, validationRows.Length);
        Assert.Empty(trainRows.Intersect(validationRows));
        Assert.Equal(Enumerable.Range(0, TrainCount), trainRows.Concat(validationRows).Order());
        Assert.Equal(trainRows.Order(), trainRows);
        Assert.Equal(validationRows.Order(), validationRows);
        Assert.Equal(Enumerable.Range(0, TestCount), RowsOf(splits.Test));
    }

    [Fact]
    public void Each_row_keeps_its_own_label_and_pixels()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: false);

        var splits = FashionMnist.LoadFrom(_dir.Path, validationSize: 25, seed: 3);

        foreach (var (samples, label) in new[]
                 {
                     (splits.Train, (Func<int, byte>)FashionMnistTestSet.TrainLabel),
                     (splits.Validation, FashionMnistTestSet.TrainLabel),
                     (splits.Test, FashionMnistTestSet.TestLabel),
                 })
        {
            for (var i = 0; i < samples.Count; i++)
            {
                var row = FashionMnistTestSet.RowOf(samples, i);
                Assert.Equal(label(row), samples.Labels[i]);
                var expected = Enumerable.Range(0, FashionMnistTestSet.PixelsPerImage)
                    .Select(j => FashionMnistTestSet.Normalised(FashionMnistTestSet.Pixel(row, j)));
                Assert.Equal(expected, samples.Features.AsSpan(i * 784, 784).ToArray());
            }
        }
    }

    [Fact]
    public void Pixels_are_normalised_with_the_fashion_mnist_mean_and_deviation()
    {
        FashionMnistTestSet.Save(_dir.Path, "train-images-idx3-ubyte", IdxWriter.Images(2, 28, 28, (i, j) => (byte)(i == 0 ? 0 : 255)), gzip: false);
        FashionMnistTestSet.Save(_dir.Path, "train-labels-idx1-ubyte", IdxWriter.Labels(0, 1), gzip: false);
        FashionMnistTestSet.Save(_dir.Path, "t10k-images-idx3-ubyte", IdxWriter.Images(1, 28, 28, (_, _) => 51), gzip: false);
        FashionMnistTestSet.Save(_dir.Path, "t10k-labels-idx1-ubyte", IdxWriter.Labels(9), gzip: false);

        var splits = FashionMnist.LoadFrom(_dir.Path, validationSize: 0, seed: 1);

        Assert.Equal((0f / 255f - 0.2860f) / 0.3530f, splits.Train.Features[0]);
        Assert.Equal((255f / 255f - 0.2860f) / 0.3530f, splits.Train.Features[784]);
        Assert.Equal((51f / 255f - 0.2860f) / 0.3530f, splits.Test.Features[783]);
        Assert.Equal(0, splits.Validation.Count);
        Assert.Equal([1, 28, 28], splits.Train.SampleShape);
        Assert.Equal(10, splits.Test.ClassCount);
        Assert.Equal(784, splits.Test.FeatureCount);
        Assert.Equal(
            ["fashion-mnist/train", "fashion-mnist/validation", "fashion-mnist/test"],
            [splits.Train.Name, splits.Validation.Name, splits.Test.Name]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: true);

        var first = RowsOf(FashionMnist.LoadFrom(_dir.Path, 50, seed: 11).Validation);
        var again = RowsOf(FashionMnist.LoadFrom(_dir.Path, 50, seed: 11).Validation);
        var other = RowsOf(FashionMnist.LoadFrom(_dir.Path, 50, seed: 12).Validation);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(FashionMnist.SplitRows(TrainCount, 50, 11).Validation, first);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: false);
        FashionMnistTestSet.Save(_dir.Path, "t10k-labels-idx1-ubyte", IdxWriter.Labels(1, 2, 3), gzip: false);

        var error = Assert.Throws<DatasetException>(() => FashionMnist.LoadFrom(_dir.Path, 10, 1));

        Assert.Equal(
            $"{_dir.File("t10k-images-idx3-ubyte")} holds 20 images but {_dir.File("t10k-labels-idx1-ubyte")} holds 3 labels; " +
            "the files do not belong together (one is truncated or from another set).",
            error.Message);
    }

    [Fact]
    public void Images_must_be_28_by_28()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: false);
        FashionMnistTestSet.Save(_dir.Path, "train-images-idx3-ubyte", IdxWriter.Images(TrainCount, 2, 2, (_, _) => 0), gzip: false);

        var error = Assert.Throws<DatasetException>(() => FashionMnist.LoadFrom(_dir.Path, 10, 1));

        Assert.Equal(
            $"{_dir.File("train-images-idx3-ubyte")}: holds images of 2x2 pixels; Fashion-MNIST images are 28x28.",
            error.Message);
    }

    [Fact]
    public void A_label_outside_the_ten_classes_is_named()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: true);
        var labels = Enumerable.Range(0, TestCount).Select(FashionMnistTestSet.TestLabel).ToArray();
        labels[5] = 12;
        FashionMnistTestSet.Save(_dir.Path, "t10k-labels-idx1-ubyte", IdxWriter.Labels(labels), gzip: true);

        var error = Assert.Throws<DatasetException>(() => FashionMnist.LoadFrom(_dir.Path, 10, 1));

        Assert.Equal(
            $"{_dir.File("t10k-labels-idx1-ubyte.gz")}: label 12 of row 5 is outside 0..9 (the file is corrupt).",
            error.Message);
    }

    [Fact]
    public void A_validation_size_leaving_nothing_to_train_on_is_rejected()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: false);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.LoadFrom(_dir.Path, TrainCount, 1));

        Assert.StartsWith(
            $"The validation size 300 must be less than the 300 images of {_dir.File("train-images-idx3-ubyte")}, so that some remain for training.",
            error.Message);
    }

    [Fact]
    public void Load_reads_the_configured_folder()
    {
        FashionMnistTestSet.Write(_dir.Path, TrainCount, TestCount, gzip: true);

        var splits = FashionMnist.Load(new FashionMnistOptions(_dir.Path, ValidationSize: 30, Seed: 5, AllowDownload: false));

        Assert.Equal((270, 30, 20), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal(FashionMnist.SplitRows(TrainCount, 30, 5).Validation, RowsOf(splits.Validation));
    }

    [Fact]
    public void The_real_files_load()
    {
        // Found where the run command would find them (installing the Debian package if need be).
        var splits = FashionMnist.Load(new FashionMnistOptions(null, ValidationSize: 5000, Seed: 42, AllowDownload: true));

        Assert.Equal((55000, 5000, 10000), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal(55000 * 784, splits.Train.Features.Length);
        // Fashion-MNIST is balanced: 6000 images per class for training, 1000 for test.
        var trainPerClass = splits.Train.Labels.Concat(splits.Validation.Labels).CountBy(l => l).OrderBy(p => p.Key).Select(p => p.Value);
        Assert.Equal(Enumerable.Repeat(6000, 10), trainPerClass);
        Assert.Equal(Enumerable.Repeat(1000, 10), splits.Test.Labels.CountBy(l => l).Select(p => p.Value));
        Assert.Equal(9, splits.Test.Labels[0]);
        Assert.Equal((0f / 255f - 0.2860f) / 0.3530f, splits.Test.Features[0]);
    }

    private static int[] RowsOf(LabeledSamples samples) =>
        Enumerable.Range(0, samples.Count).Select(i => FashionMnistTestSet.RowOf(samples, i)).ToArray();
}
