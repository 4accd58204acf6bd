using ActorTrain.Core.Randomness;

namespace ActorTrain.Torch.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research): 28×28 grey images of clothes in 10 classes, 60 000 for training and
/// 10 000 for test. A seeded part of the training images is held out for validation.
/// </summary>
public static class FashionMnist
{
    public const int ImageSide = 28;
    public const int ClassCount = 10;

    /// <summary>Mean and standard deviation of the training pixels scaled to [0, 1].</summary>
    public const float PixelMean = 0.2860f;
    public const float PixelStandardDeviation = 0.3530f;

    private static readonly int[] SampleShape = [1, ImageSide, ImageSide];

    /// <summary>Each byte value normalised once; decoding is then one lookup per pixel.</summary>
    private static readonly float[] NormalisedPixel =
        Enumerable.Range(0, 256).Select(x => (x / 255f - PixelMean) / PixelStandardDeviation).ToArray();

    /// <summary>
    /// Loads train (the training file minus the validation rows), validation (<c>ValidationSize</c> rows of the
    /// training file chosen by the seed) and test. Both held-out and remaining rows keep the file's order.
    /// </summary>
    public static DatasetSplits Load(FashionMnistOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckValidationSize(options.ValidationSize);
        return LoadFrom(Locate(options), options.ValidationSize, options.Seed);
    }

    /// <summary>
    /// The folder holding the four files: the first of <c>ConfiguredPath</c>, <c>ACTORTRAIN_DATA</c>,
    /// /usr/share/datasets/fashion-mnist, <c>$XDG_CACHE_HOME/actortrain</c> and ~/.cache/actortrain that has
    /// all four; else, if allowed, the Debian folder after installing the package dataset-fashion-mnist (as root,
    /// with apt-get), or the cache folder after downloading them there.
    /// </summary>
    public static string Locate(FashionMnistOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var candidates = FashionMnistLocations.Candidates(options.ConfiguredPath, Environment.GetEnvironmentVariable, profile);
        var downloadInto = options.AllowDownload
            ? FashionMnistLocations.CacheDirectories(Environment.GetEnvironmentVariable, profile)[0]
            : null;
        if (options.AllowDownload && candidates.All(c => FashionMnistFiles.Missing(c.Path).Count > 0)
            && DebianDatasetPackage.TryInstall() == "" && FashionMnistFiles.Missing(FashionMnistLocations.DebianDirectory).Count == 0)
            return FashionMnistLocations.DebianDirectory;
        return Locate(candidates, downloadInto, FashionMnistDownload.Official);
    }

    /// <param name="candidates">Folders to search, in order.</param>
    /// <param name="downloadInto">Where to download when no candidate has the files; null: do not download.</param>
    /// <param name="download">Fetches the files (tests pass one with a fake HTTP handler).</param>
    internal static string Locate(
        IReadOnlyList<DataDirectoryCandidate> candidates, string? downloadInto, FashionMnistDownload download)
    {
        foreach (var candidate in candidates)
        {
            if (FashionMnistFiles.Missing(candidate.Path).Count == 0) return candidate.Path;
        }

        if (downloadInto is null)
            throw new DatasetException(FashionMnistLocations.NotFoundMessage(
                candidates, "Downloading is disabled (AllowDownload is false)."));
        try
        {
            download.Into(downloadInto);
        }
        catch (DatasetException ex)
        {
            throw new DatasetException(FashionMnistLocations.NotFoundMessage(
                candidates, $"Downloading from {download.Source} into {downloadInto} failed: {ex.Message}"), ex);
        }
        return downloadInto;
    }

    /// <summary>Loads the splits from a folder known to hold the four files.</summary>
    internal static DatasetSplits LoadFrom(string directory, int validationSize, ulong seed)
    {
        CheckValidationSize(validationSize);
        // The two image files decompress independently; the training one dominates the load time.
        var trainTask = Task.Run(() => ReadPair(directory, FashionMnistFiles.TrainImages, FashionMnistFiles.TrainLabels));
        var test = ReadPair(directory, FashionMnistFiles.TestImages, FashionMnistFiles.TestLabels);
        var train = trainTask.GetAwaiter().GetResult();

        if (validationSize >= train.Images.Count)
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize,
                $"The validation size {validationSize} must be less than the {train.Images.Count} images of {train.ImagesPath}, " +
                "so that some remain for training.");

        var (trainRows, validationRows) = SplitRows(train.Images.Count, validationSize, seed);
        return new DatasetSplits(
            Decode("fashion-mnist/train", train, trainRows),
            Decode("fashion-mnist/validation", train, validationRows),
            Decode("fashion-mnist/test", test, Enumerable.Range(0, test.Images.Count).ToArray()));
    }

    /// <summary>
    /// The rows to train on and the rows held out, each in ascending order. The held-out rows are the first
    /// <paramref name="validationSize"/> of a permutation seeded for the validation split.
    /// </summary>
    internal static (int[] Train, int[] Validation) SplitRows(int count, int validationSize, ulong seed)
    {
        var order = SplitMix64.For(seed, RandomPurpose.ValidationSplit).Permutation(count);
        var validation = order[..validationSize];
        Array.Sort(validation);
        var held = new bool[count];
        foreach (var row in validation) held[row] = true;
        var train = new int[count - validationSize];
        for (int row = 0, next = 0; row < count; row++)
        {
            if (!held[row]) train[next++] = row;
        }
        return (train, validation);
    }

    private static void CheckValidationSize(int validationSize)
    {
        if (validationSize < 0)
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize, "The validation size cannot be negative.");
    }

    private static ImagesWithLabels ReadPair(string directory, string imagesName, string labelsName)
    {
        var imagesPath = FashionMnistFiles.Require(directory, imagesName);
        var labelsPath = FashionMnistFiles.Require(directory, labelsName);
        var labelsTask = Task.Run(() => IdxFile.ReadLabels(labelsPath));
        var images = IdxFile.ReadImages(imagesPath);
        var labels = labelsTask.GetAwaiter().GetResult();

        if (images.Rows != ImageSide || images.Columns != ImageSide)
            throw new DatasetException(
                $"{imagesPath}: holds images of {images.Rows}x{images.Columns} pixels; Fashion-MNIST images are {ImageSide}x{ImageSide}.");
        if (labels.Length != images.Count)
            throw new DatasetException(
                $"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels; " +
                "the files do not belong together (one is truncated or from another set).");
        var bad = labels.AsSpan().IndexOfAnyInRange((byte)ClassCount, byte.MaxValue);
        if (bad >= 0)
            throw new DatasetException(
                $"{labelsPath}: label {labels[bad]} of row {bad} is outside 0..{ClassCount - 1} (the file is corrupt).");
        return new ImagesWithLabels(imagesPath, images, labels);
    }

    private static LabeledSamples Decode(string name, ImagesWithLabels source, int[] rows)
    {
        var pixelsPerImage = source.Images.PixelsPerImage;
        var features = GC.AllocateUninitializedArray<float>(rows.Length * pixelsPerImage);
        var labels = new byte[rows.Length];
        var table = NormalisedPixel;
        for (var i = 0; i < rows.Length; i++)
        {
            var pixels = source.Images.Pixels.AsSpan(rows[i] * pixelsPerImage, pixelsPerImage);
            var destination = features.AsSpan(i * pixelsPerImage, pixelsPerImage);
            for (var j = 0; j < pixels.Length; j++) destination[j] = table[pixels[j]];
            labels[i] = source.Labels[rows[i]];
        }
        return new LabeledSamples(name, features, labels, pixelsPerImage, ClassCount, SampleShape);
    }
}
