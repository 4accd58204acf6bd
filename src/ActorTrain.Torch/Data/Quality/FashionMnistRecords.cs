using ActorTrain.Core.DataQuality;

namespace ActorTrain.Torch.Data.Quality;

/// <summary>
/// Fashion-MNIST's splits as stored: raw pixels and labels straight from the IDX files, with the job's validation rows
/// held out of the training file exactly as training holds them out. Unlike the loader it refuses nothing: a file that
/// cannot be read, or images without labels, are reported, and labels outside the classes are left for the check to count.
/// </summary>
public static class FashionMnistRecords
{
    public static CheckedRecords Read(FashionMnistOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = FashionMnist.Locate(options);
        var unreadable = new List<string>();
        var splits = new List<SplitRecords>();
        var train = ReadPair(directory, FashionMnistFiles.TrainImages, FashionMnistFiles.TrainLabels, unreadable);
        if (train is { } t)
        {
            if (options.ValidationSize >= t.Labels.Length)
                unreadable.Add($"the validation size {options.ValidationSize} leaves none of the {t.Labels.Length} training images to train on");
            else
            {
                var (trainRows, validationRows) = FashionMnist.SplitRows(t.Labels.Length, options.ValidationSize, options.Seed);
                splits.Add(Rows("train", t, trainRows));
                splits.Add(Rows("validation", t, validationRows));
            }
        }
        if (ReadPair(directory, FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels, unreadable) is { } test)
            splits.Add(Rows("test", test, [.. Enumerable.Range(0, test.Labels.Length)]));
        return new CheckedRecords(splits, unreadable);
    }

    private static (IdxImages Images, byte[] Labels)? ReadPair(string directory, string imagesName, string labelsName, List<string> unreadable)
    {
        try
        {
            var images = IdxFile.ReadImages(FashionMnistFiles.Require(directory, imagesName));
            var labels = IdxFile.ReadLabels(FashionMnistFiles.Require(directory, labelsName));
            if (images.Count != labels.Length)
                unreadable.Add($"{imagesName} holds {images.Count} images and {labelsName} {labels.Length} labels: " +
                               $"{Math.Abs(images.Count - labels.Length)} record(s) are unreadable and left out");
            var count = Math.Min(images.Count, labels.Length);
            return (images with { Count = count }, labels[..count]);
        }
        catch (DatasetException e)
        {
            unreadable.Add(e.Message);
            return null;
        }
    }

    private static SplitRecords Rows(string name, (IdxImages Images, byte[] Labels) source, int[] rows)
    {
        var length = source.Images.PixelsPerImage;
        var bytes = new byte[(long)rows.Length * length];
        var labels = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            source.Images.Pixels.AsSpan(rows[i] * length, length).CopyTo(bytes.AsSpan(i * length, length));
            labels[i] = source.Labels[rows[i]];
        }
        // Pixels are bytes: every value is in range by construction.
        return new SplitRecords(name, FashionMnist.ClassCount, labels, bytes, length, []);
    }
}
