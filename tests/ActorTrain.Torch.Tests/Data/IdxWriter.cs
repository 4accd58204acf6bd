using System.Buffers.Binary;
using System.IO.Compression;

namespace ActorTrain.Torch.Tests.Data;

/// <summary>Builds IDX files byte by byte, to feed the reader known content.</summary>
internal static class IdxWriter
{
    public static byte[] Images(int count, int rows, int columns, Func<int, int, byte> pixel)
    {
        var bytes = new byte[16 + count * rows * columns];
        WriteHeader(bytes, 0x00000803, count, rows, columns);
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < rows * columns; j++) bytes[16 + i * rows * columns + j] = pixel(i, j);
        }
        return bytes;
    }

    public static byte[] Labels(params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        WriteHeader(bytes, 0x00000801, labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(raw);
        return output.ToArray();
    }

    private static void WriteHeader(byte[] bytes, int magic, params int[] dims)
    {
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * (i + 1)), dims[i]);
    }
}
