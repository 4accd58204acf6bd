namespace ActorTrain.Core.Randomness;

/// <summary>
/// A tiny seeded generator (SplitMix64) whose sequence is fixed by this code, not by the runtime:
/// shuffles, splits and initial weights must be the same on every machine and .NET version.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for a named purpose, so streams for different uses never overlap by accident.</summary>
    public static SplitMix64 For(ulong seed, ulong purpose, ulong index = 0) =>
        new(Mix(Mix(seed ^ 0x5851F42D4C957F2DUL * (purpose + 1)) + index));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, bound), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong value;
        do value = NextUInt64(); while (value >= limit);
        return (int)(value % (ulong)bound);
    }

    /// <summary>Uniform in [0, 1) with 24 bits, exactly representable as a float.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        var u2 = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>0..n-1 in a seeded order (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
