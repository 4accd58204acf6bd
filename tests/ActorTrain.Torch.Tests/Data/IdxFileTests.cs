using ActorTrain.Torch.Data;
using Xunit;

namespace ActorTrain.Torch.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Raw_images_and_labels_round_trip()
    {
        var imagesPath = _dir.File("images-idx3-ubyte");
        var labelsPath = _dir.File("labels-idx1-ubyte");
        File.WriteAllBytes(imagesPath, IdxWriter.Images(3, 2, 4, (i, j) => (byte)(10 * i + j)));
        File.WriteAllBytes(labelsPath, IdxWriter.Labels(7, 0, 255));

        var images = IdxFile.ReadImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);

        Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Columns));
        Assert.Equal(
            new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 27 },
            images.Pixels);
        Assert.Equal(new byte[] { 7, 0, 255 }, labels);
    }

    [Fact]
    public void Gzipped_images_and_labels_round_trip()
    {
        var imagesPath = _dir.File("images-idx3-ubyte.gz");
        var labelsPath = _dir.File("labels-idx1-ubyte.gz");
        File.WriteAllBytes(imagesPath, IdxWriter.Gzip(IdxWriter.Images(2, 3, 1, (i, j) => (byte)(i * 3 + j + 100))));
        File.WriteAllBytes(labelsPath, IdxWriter.Gzip(IdxWriter.Labels(4, 9)));

        var images = IdxFile.ReadImages(imagesPath);

        Assert.Equal((2, 3, 1), (images.Count, images.Rows, images.Columns));
        Assert.Equal(new byte[] { 100, 101, 102, 103, 104, 105 }, images.Pixels);
        Assert.Equal(new byte[] { 4, 9 }, IdxFile.ReadLabels(labelsPath));
    }

    [Fact]
    public void Gzip_is_recognised_by_its_magic_bytes_not_by_the_name()
    {
        var path = _dir.File("labels-idx1-ubyte");
        File.WriteAllBytes(path, IdxWriter.Gzip(IdxWriter.Labels(1, 2, 3)));

        Assert.Equal(new byte[] { 1, 2, 3 }, IdxFile.ReadLabels(path));
    }

    [Fact]
    public void A_truncated_image_file_names_the_file_and_the_shortfall()
    {
        var path = _dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(path, IdxWriter.Images(10, 28, 28, (_, _) => 1)[..(16 + 1000)]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path));

        Assert.Equal(
            $"{path}: expected 7840 pixel bytes after the header, found 1000 (the file is truncated; delete it and fetch it again).",
            error.Message);
    }

    [Fact]
    public void A_truncated_gzip_file_names_the_file()
    {
        var path = _dir.File("train-images-idx3-ubyte.gz");
        var gzip = IdxWriter.Gzip(IdxWriter.Images(50, 28, 28, (i, j) => (byte)(i * j)));
        File.WriteAllBytes(path, gzip[..(gzip.Length / 2)]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path));

        // Gzip gives no error at a cut; the shortfall is what shows it.
        Assert.StartsWith($"{path}: expected 39200 pixel bytes after the header, found ", error.Message);
        Assert.EndsWith(" (the file is truncated; delete it and fetch it again).", error.Message);
    }

    [Fact]
    public void A_corrupt_gzip_stream_names_the_file()
    {
        var path = _dir.File("t10k-labels-idx1-ubyte.gz");
        var gzip = IdxWriter.Gzip(IdxWriter.Labels(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()));
        for (var i = 10; i < gzip.Length - 8; i++) gzip[i] = 0xff;
        File.WriteAllBytes(path, gzip);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadLabels(path));

        Assert.StartsWith($"{path}: the gzip stream is corrupt (", error.Message);
        Assert.EndsWith("); delete the file and fetch it again.", error.Message);
    }

    [Fact]
    public void A_wrong_magic_number_is_named()
    {
        var path = _dir.File("train-images-idx3-ubyte");
        File.WriteAllBytes(path, IdxWriter.Labels(1, 2, 3));

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path));

        Assert.Equal(
            $"{path}: magic number 0x00000801 is not that of an IDX image file (expected 0x00000803); " +
            "the file is corrupt or not the file its name says.",
            error.Message);
    }

    [Fact]
    public void A_file_ending_inside_the_header_is_named()
    {
        var path = _dir.File("images");
        File.WriteAllBytes(path, IdxWriter.Images(1, 1, 1, (_, _) => 0)[..10]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadImages(path));

        Assert.Equal(
            $"{path}: the file ends after 10 bytes, inside the 16-byte IDX header (the file is truncated; delete it and fetch it again).",
            error.Message);
    }

    [Fact]
    public void Bytes_beyond_what_the_header_promises_are_rejected()
    {
        var path = _dir.File("labels");
        File.WriteAllBytes(path, [.. IdxWriter.Labels(1, 2), 9]);

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadLabels(path));

        Assert.Equal(
            $"{path}: the file holds more than the 2 label bytes its header promises (the file is corrupt; delete it and fetch it again).",
            error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = _dir.File("absent");

        var error = Assert.Throws<DatasetException>(() => IdxFile.ReadLabels(path));

        Assert.StartsWith($"{path}: cannot be read (", error.Message);
    }
}
