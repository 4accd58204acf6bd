using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace ActorTrain.Torch.Codecs;

/// <summary>
/// Float vectors to wire bytes and back, and the checksum every payload carries. f32 is exact; bf16 keeps
/// f32's range with 8 bits of mantissa (round to nearest even); f16 has 11 bits of mantissa and less range.
/// </summary>
public static class PayloadCodec
{
    public static int BytesPerElement(PayloadEncoding encoding) => encoding switch
    {
        PayloadEncoding.F32 => 4,
        PayloadEncoding.Bf16 or PayloadEncoding.F16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding"),
    };

    public static byte[] Encode(ReadOnlySpan<float> values, PayloadEncoding encoding)
    {
        // Every byte is written below: skip the zeroing.
        var bytes = GC.AllocateUninitializedArray<byte>(values.Length * BytesPerElement(encoding));
        switch (encoding)
        {
            case PayloadEncoding.F32:
                MemoryMarshal.AsBytes(values).CopyTo(bytes);
                if (!BitConverter.IsLittleEndian) ReverseFloats(bytes);
                break;
            case PayloadEncoding.Bf16:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), ToBf16(values[i]));
                break;
            case PayloadEncoding.F16:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding");
        }
        return bytes;
    }

    public static void Decode(ReadOnlySpan<byte> bytes, PayloadEncoding encoding, Span<float> destination)
    {
        if (bytes.Length != destination.Length * BytesPerElement(encoding))
            throw new ArgumentException($"{bytes.Length} bytes do not hold {destination.Length} {encoding} elements");
        switch (encoding)
        {
            case PayloadEncoding.F32:
                bytes.CopyTo(MemoryMarshal.AsBytes(destination));
                if (!BitConverter.IsLittleEndian) ReverseFloats(MemoryMarshal.AsBytes(destination));
                break;
            case PayloadEncoding.Bf16:
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
            case PayloadEncoding.F16:
                for (var i = 0; i < destination.Length; i++) destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "unknown encoding");
        }
    }

    public static float[] Decode(ReadOnlySpan<byte> bytes, PayloadEncoding encoding)
    {
        var values = new float[bytes.Length / BytesPerElement(encoding)];
        Decode(bytes, encoding, values);
        return values;
    }

    /// <summary>XxHash3 of the payload bytes: fast enough to check every payload.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> bytes) => XxHash3.HashToUInt64(bytes);

    private static ushort ToBf16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    private static void ReverseFloats(Span<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Length; i += 4) bytes.Slice(i, 4).Reverse();
    }
}
