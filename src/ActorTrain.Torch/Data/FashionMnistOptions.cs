namespace ActorTrain.Torch.Data;

/// <summary>How to find and split Fashion-MNIST.</summary>
/// <param name="ConfiguredPath">A folder holding the four IDX files (raw or .gz); searched first when set.</param>
/// <param name="ValidationSize">Rows held out of the 60 000 training images for validation.</param>
/// <param name="Seed">The job seed; the validation rows are chosen by it.</param>
/// <param name="AllowDownload">Fetch the files into the cache folder when no searched folder has them.</param>
public sealed record FashionMnistOptions(string? ConfiguredPath, int ValidationSize, ulong Seed, bool AllowDownload);
