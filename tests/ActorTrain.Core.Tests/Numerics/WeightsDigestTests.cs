using ActorTrain.Core.Numerics;
using Xunit;

namespace ActorTrain.Core.Tests.Numerics;

public sealed class WeightsDigestTests
{
    [Fact]
    public void The_digest_is_the_sha256_of_the_floats_little_endian_bytes_in_lower_case_hex()
    {
        // The SHA-256 of the bytes 00 00 80 3f 00 00 00 c0 (1.0f, -2.0f), computed independently with Python's hashlib.
        Assert.Equal("ee4ac73c2bd27756ab82780f27c73a7bc4d3f0bb6acb37e008bc27eccd7e588b", WeightsDigest.Sha256([1f, -2f]));
    }
}
