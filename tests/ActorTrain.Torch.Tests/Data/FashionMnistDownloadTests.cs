using System.Security.Cryptography;
using ActorTrain.Torch.Data;
using Xunit;

namespace ActorTrain.Torch.Tests.Data;

/// <summary>The download path, driven through a fake HTTP handler: no test here touches the network.</summary>
public sealed class FashionMnistDownloadTests : IDisposable
{
    private static readonly Uri Source = new("http://datasets.invalid/fashion-mnist/");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Missing_files_are_downloaded_into_the_cache_and_verified()
    {
        var files = ServedFiles();
        var handler = new FakeHttpHandler(files);
        var cache = _dir.File("cache");
        var download = new FashionMnistDownload(Source, files.ToDictionary(f => f.Key, f => Md5(f.Value)), handler);

        var found = FashionMnist.Locate([new DataDirectoryCandidate(cache, "download cache")], cache, download);

        Assert.Equal(cache, found);
        Assert.Equal(
            ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
            Directory.GetFiles(cache).Select(Path.GetFileName).Order());
        Assert.Equal(
            FashionMnistFiles.All.Select(name => $"http://datasets.invalid/fashion-mnist/{name}.gz"),
            handler.Requests.Select(u => u.ToString()));
        Assert.Equal(8, FashionMnist.LoadFrom(found, 2, 1).Train.Count);
    }

    [Fact]
    public void Only_the_files_the_cache_lacks_are_fetched()
    {
        var files = ServedFiles();
        var handler = new FakeHttpHandler(files);
        var cache = _dir.Sub("cache");
        FashionMnistTestSet.Write(cache, 10, 4, gzip: false);
        File.Delete(Path.Combine(cache, "t10k-images-idx3-ubyte"));
        var download = new FashionMnistDownload(Source, files.ToDictionary(f => f.Key, f => Md5(f.Value)), handler);

        download.Into(cache);

        Assert.Equal(["http://datasets.invalid/fashion-mnist/t10k-images-idx3-ubyte.gz"], handler.Requests.Select(u => u.ToString()));
    }

    [Fact]
    public void A_checksum_mismatch_deletes_the_download_and_names_the_file_and_both_sums()
    {
        var files = new Dictionary<string, byte[]> { ["train-images-idx3-ubyte.gz"] = "abc"u8.ToArray() };
        var cache = _dir.Sub("cache");
        var download = new FashionMnistDownload(Source, FashionMnistFiles.PublishedMd5, new FakeHttpHandler(files));

        var error = Assert.Throws<DatasetException>(() => download.Into(cache));

        var target = Path.Combine(cache, "train-images-idx3-ubyte.gz");
        Assert.Equal(
            $"{target}: downloaded from http://datasets.invalid/fashion-mnist/train-images-idx3-ubyte.gz, " +
            "its MD5 is 900150983cd24fb0d6963f7d28e17f72 but the published sum is 8d4fb7e6c68d591d4c3dfef9ec88bf0d; " +
            "the download was deleted. Try again, or install the files another way.",
            error.Message);
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public void A_failed_download_says_where_it_looked_and_what_the_server_answered()
    {
        var cache = _dir.File("cache");
        var download = new FashionMnistDownload(Source, FashionMnistFiles.PublishedMd5, new FakeHttpHandler(new Dictionary<string, byte[]>()));

        var error = Assert.Throws<DatasetException>(() =>
            FashionMnist.Locate([new DataDirectoryCandidate(cache, "download cache")], cache, download));

        Assert.Contains($"  {cache} (download cache): missing ", error.Message);
        Assert.Contains(
            $"Downloading from {Source} into {cache} failed: " +
            "http://datasets.invalid/fashion-mnist/train-images-idx3-ubyte.gz: the server answered 404 Not Found.\n",
            error.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Empty(Directory.GetFiles(cache));
    }

    [Fact]
    public void The_official_source_is_zalandos_bucket_with_the_published_sums()
    {
        Assert.Equal(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"), FashionMnistDownload.Official.Source);
        Assert.Equal(TimeSpan.FromSeconds(60), FashionMnistDownload.Timeout);
        Assert.Equal("bb300cfdad3c16e7a12a480ee83cd310", FashionMnistFiles.PublishedMd5["t10k-labels-idx1-ubyte.gz"]);
    }

    private Dictionary<string, byte[]> ServedFiles()
    {
        var source = _dir.Sub("source");
        FashionMnistTestSet.Write(source, 10, 4, gzip: true);
        return Directory.GetFiles(source).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
    }

    // MD5 because that is what the download is checked against.
#pragma warning disable CA5351
    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
}
