using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ActorTrain.Core.Numerics;

/// <summary>
/// The SHA-256 of a flat f32 weight vector's bytes, in lower-case hex: what the evaluator reports as a run's
/// <c>weights_sha256</c> and what <c>actortrain export</c> prints, so that an exported model can be matched to its run.
/// </summary>
public static class WeightsDigest
{
    public static string Sha256(ReadOnlySpan<float> weights) => Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(weights)));
}
