namespace ActorTrain.Torch.Data;

/// <summary>The four Fashion-MNIST IDX files, and where in a folder each one is.</summary>
internal static class FashionMnistFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    public static readonly IReadOnlyList<string> All = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>MD5 sums of the .gz files as published by Zalando Research.</summary>
    public static readonly IReadOnlyDictionary<string, string> PublishedMd5 = new Dictionary<string, string>
    {
        [TrainImages + ".gz"] = "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        [TrainLabels + ".gz"] = "25c81989df183df01b3e8a0aad5dffbe",
        [TestImages + ".gz"] = "bef4ecab320f06d8554ea6380940ec79",
        [TestLabels + ".gz"] = "bb300cfdad3c16e7a12a480ee83cd310",
    };

    /// <summary>The file for <paramref name="name"/> in the folder, raw name first, else the .gz name; null if neither.</summary>
    public static string? Find(string directory, string name)
    {
        var raw = Path.Combine(directory, name);
        if (File.Exists(raw)) return raw;
        var gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>The files the folder lacks (all four when the folder does not exist).</summary>
    public static IReadOnlyList<string> Missing(string directory) =>
        Directory.Exists(directory) ? All.Where(name => Find(directory, name) is null).ToArray() : All;

    public static string Require(string directory, string name) =>
        Find(directory, name) ?? throw new DatasetException(
            $"{directory}: has neither {name} nor {name}.gz; the folder must hold all four Fashion-MNIST IDX files.");
}
