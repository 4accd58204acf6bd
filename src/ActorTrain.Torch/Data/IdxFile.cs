using System.Buffers.Binary;
using System.IO.Compression;

namespace ActorTrain.Torch.Data;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST and Fashion-MNIST), raw or gzipped. Gzip is
/// recognised by its magic bytes, not by the file name. A file must hold exactly the bytes its header
/// promises; anything else is a <see cref="DatasetException"/> naming the file.
/// </summary>
internal static class IdxFile
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public static IdxImages ReadImages(string path) => Read(path, ImagesMagic, "image", "pixel", (dims, payload) =>
    {
        if (dims[1] == 0 || dims[2] == 0)
            throw new DatasetException($"{path}: the header gives images of {dims[1]}x{dims[2]} pixels; both sides must be positive (the header is corrupt).");
        return new IdxImages(dims[0], dims[1], dims[2], payload);
    });

    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, "label", "label", (_, payload) => payload);

    /// <summary>True when the file starts with the gzip magic bytes 1f 8b.</summary>
    public static bool IsGzip(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static T Read<T>(string path, int expectedMagic, string fileKind, string itemKind, Func<int[], byte[], T> build)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            var dims = ReadHeader(stream, path, expectedMagic, fileKind);
            var payload = ReadPayload(stream, path, dims, itemKind);
            return build(dims, payload);
        }
        catch (InvalidDataException ex)
        {
            throw new DatasetException($"{path}: the gzip stream is corrupt ({ex.Message}); delete the file and fetch it again.", ex);
        }
        catch (IOException ex)
        {
            throw new DatasetException($"{path}: cannot be read ({ex.Message}).", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DatasetException($"{path}: cannot be read ({ex.Message}).", ex);
        }
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedMagic, string fileKind)
    {
        var dimensionCount = expectedMagic & 0xff;
        var headerLength = 4 * (1 + dimensionCount);
        Span<byte> header = stackalloc byte[headerLength];
        var read = stream.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);
        if (read < 4)
            throw new DatasetException(
                $"{path}: the file ends after {read} bytes, before the IDX magic number (the file is truncated; delete it and fetch it again).");

        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
            throw new DatasetException(
                $"{path}: magic number 0x{magic:X8} is not that of an IDX {fileKind} file (expected 0x{expectedMagic:X8}); " +
                "the file is corrupt or not the file its name says.");
        if (read < headerLength)
            throw new DatasetException(
                $"{path}: the file ends after {read} bytes, inside the {headerLength}-byte IDX header (the file is truncated; delete it and fetch it again).");

        var dims = new int[dimensionCount];
        for (var i = 0; i < dimensionCount; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header[(4 * (i + 1))..]);
            if (dims[i] < 0)
                throw new DatasetException($"{path}: the header gives dimension {i} as {dims[i]}; it cannot be negative (the header is corrupt).");
        }
        return dims;
    }

    private static byte[] ReadPayload(Stream stream, string path, int[] dims, string itemKind)
    {
        var expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected > Array.MaxLength)
            throw new DatasetException(
                $"{path}: the header promises {expected} {itemKind} bytes ({string.Join(" x ", dims)}), more than fits in memory (the header is corrupt).");

        var payload = GC.AllocateUninitializedArray<byte>((int)expected);
        var read = stream.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (read < payload.Length)
            throw new DatasetException(
                $"{path}: expected {expected} {itemKind} bytes after the header, found {read} (the file is truncated; delete it and fetch it again).");
        if (stream.ReadByte() >= 0)
            throw new DatasetException(
                $"{path}: the file holds more than the {expected} {itemKind} bytes its header promises (the file is corrupt; delete it and fetch it again).");
        return payload;
    }
}
