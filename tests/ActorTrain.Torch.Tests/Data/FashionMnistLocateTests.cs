using ActorTrain.Torch.Data;
using Xunit;

namespace ActorTrain.Torch.Tests.Data;

public sealed class FashionMnistLocateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Candidates_are_searched_configured_path_first_then_the_environment_the_package_and_the_caches()
    {
        var environment = new Dictionary<string, string?> { ["ACTORTRAIN_DATA"] = "/data/fm", ["XDG_CACHE_HOME"] = "/xdg" };

        var candidates = FashionMnistLocations.Candidates("/configured", name => environment.GetValueOrDefault(name), "/home/u");

        Assert.Equal(
            ["/configured", "/data/fm", "/usr/share/datasets/fashion-mnist", "/xdg/actortrain", "/home/u/.cache/actortrain"],
            candidates.Select(c => c.Path));
    }

    [Fact]
    public void Unset_settings_are_left_out_of_the_search()
    {
        var environment = new Dictionary<string, string?> { ["ACTORTRAIN_DATA"] = "", ["XDG_CACHE_HOME"] = "relative/cache" };

        var candidates = FashionMnistLocations.Candidates(null, name => environment.GetValueOrDefault(name), "/home/u");

        Assert.Equal(["/usr/share/datasets/fashion-mnist", "/home/u/.cache/actortrain"], candidates.Select(c => c.Path));
    }

    [Fact]
    public void The_configured_path_wins_over_a_later_folder_with_the_files()
    {
        var configured = _dir.Sub("configured");
        var later = _dir.Sub("later");
        FashionMnistTestSet.Write(configured, 5, 2, gzip: true);
        FashionMnistTestSet.Write(later, 5, 2, gzip: false);

        Assert.Equal(configured, Locate(configured, later));
        Assert.Equal(later, Locate(later, configured));
    }

    [Fact]
    public void A_folder_missing_one_file_is_passed_over()
    {
        var partial = _dir.Sub("partial");
        var complete = _dir.Sub("complete");
        FashionMnistTestSet.Write(partial, 5, 2, gzip: true);
        File.Delete(Path.Combine(partial, "t10k-labels-idx1-ubyte.gz"));
        FashionMnistTestSet.Write(complete, 5, 2, gzip: false);

        Assert.Equal(complete, Locate(partial, complete));
    }

    [Fact]
    public void The_public_locate_takes_the_configured_path()
    {
        FashionMnistTestSet.Write(_dir.Path, 5, 2, gzip: true);

        Assert.Equal(_dir.Path, FashionMnist.Locate(new FashionMnistOptions(_dir.Path, 1, 1, AllowDownload: false)));
    }

    [Fact]
    public void When_nothing_is_found_the_message_lists_each_place_and_how_to_get_the_files()
    {
        var empty = _dir.Sub("empty");
        var partial = _dir.Sub("partial");
        FashionMnistTestSet.Write(partial, 5, 2, gzip: true);
        File.Delete(Path.Combine(partial, "train-images-idx3-ubyte.gz"));
        File.Delete(Path.Combine(partial, "t10k-labels-idx1-ubyte.gz"));
        var absent = _dir.File("absent");
        var candidates = new[]
        {
            new DataDirectoryCandidate(empty, "configured path, actortrain.data.path"),
            new DataDirectoryCandidate(partial, "ACTORTRAIN_DATA"),
            new DataDirectoryCandidate(absent, "download cache"),
        };

        var error = Assert.Throws<DatasetException>(() => FashionMnist.Locate(candidates, null, FashionMnistDownload.Official));

        Assert.Equal(
            "Fashion-MNIST was not found. Looked for the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, " +
            "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz) in:\n" +
            $"  {empty} (configured path, actortrain.data.path): missing train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], " +
            "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]\n" +
            $"  {partial} (ACTORTRAIN_DATA): missing train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]\n" +
            $"  {absent} (download cache): folder does not exist\n" +
            "Downloading is disabled (AllowDownload is false).\n" +
            "To get the files: `apt-get install dataset-fashion-mnist` (Debian puts them in /usr/share/datasets/fashion-mnist), " +
            "or set ACTORTRAIN_DATA or actortrain.data.path to a folder holding the four IDX files.",
            error.Message);
    }

    private static string Locate(params string[] folders) =>
        FashionMnist.Locate(folders.Select(f => new DataDirectoryCandidate(f, "test")).ToArray(), null, FashionMnistDownload.Official);
}
