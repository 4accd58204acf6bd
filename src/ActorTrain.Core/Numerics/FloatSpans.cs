using System.Numerics;
using System.Runtime.InteropServices;

namespace ActorTrain.Core.Numerics;

/// <summary>
/// Element-wise float arithmetic on spans. Each element is one IEEE operation whatever the vector width,
/// so results are bitwise reproducible; that is what BSP's determinism rests on.
/// </summary>
public static class FloatSpans
{
    /// <summary>destination[i] += source[i].</summary>
    public static void AddInto(Span<float> destination, ReadOnlySpan<float> source)
    {
        if (destination.Length != source.Length) throw new ArgumentException($"lengths differ: {destination.Length} and {source.Length}");
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var d = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var s = MemoryMarshal.Cast<float, Vector<float>>(source);
            for (var v = 0; v < d.Length; v++) d[v] += s[v];
            i = d.Length * Vector<float>.Count;
        }
        for (; i < destination.Length; i++) destination[i] += source[i];
    }

    /// <summary>values[i] *= factor.</summary>
    public static void Scale(Span<float> values, float factor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var d = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < d.Length; v++) d[v] *= factor;
            i = d.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++) values[i] *= factor;
    }

    /// <summary>values[i] /= divisor (a true division, not a multiplication by a rounded reciprocal).</summary>
    public static void Divide(Span<float> values, float divisor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var d = MemoryMarshal.Cast<float, Vector<float>>(values);
            var by = new Vector<float>(divisor);
            for (var v = 0; v < d.Length; v++) d[v] /= by;
            i = d.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++) values[i] /= divisor;
    }

    /// <summary>destination[i] = source[i] / divisor, in one pass.</summary>
    public static void DivideInto(ReadOnlySpan<float> source, Span<float> destination, float divisor)
    {
        if (destination.Length != source.Length) throw new ArgumentException($"lengths differ: {destination.Length} and {source.Length}");
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = MemoryMarshal.Cast<float, Vector<float>>(source);
            var d = MemoryMarshal.Cast<float, Vector<float>>(destination);
            var by = new Vector<float>(divisor);
            for (var v = 0; v < d.Length; v++) d[v] = s[v] / by;
            i = d.Length * Vector<float>.Count;
        }
        for (; i < destination.Length; i++) destination[i] = source[i] / divisor;
    }

    /// <summary>
    /// destination[i] = minuend[i] − subtrahend[i]: a local round's pseudo-gradient is its start weights minus its
    /// end weights, so that an optimizer step "w − lr · Δ" moves the shard the way the round moved the replica.
    /// </summary>
    public static void Difference(ReadOnlySpan<float> minuend, ReadOnlySpan<float> subtrahend, Span<float> destination)
    {
        if (minuend.Length != subtrahend.Length || minuend.Length != destination.Length)
            throw new ArgumentException($"lengths differ: {minuend.Length}, {subtrahend.Length} and {destination.Length}");
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var a = MemoryMarshal.Cast<float, Vector<float>>(minuend);
            var b = MemoryMarshal.Cast<float, Vector<float>>(subtrahend);
            var d = MemoryMarshal.Cast<float, Vector<float>>(destination);
            for (var v = 0; v < d.Length; v++) d[v] = a[v] - b[v];
            i = d.Length * Vector<float>.Count;
        }
        for (; i < destination.Length; i++) destination[i] = minuend[i] - subtrahend[i];
    }

    /// <summary>Σ v², in double, in order (a float square overflows no double): not finite exactly when an element is not.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += (double)v * v;
        return sum;
    }

    /// <summary>True when any element is NaN or infinite.</summary>
    public static bool HasNonFinite(ReadOnlySpan<float> values)
    {
        // x - x is 0 for every finite x and NaN for NaN and ±Inf: one vector compare per lane group (every push is checked).
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            foreach (var v in vectors)
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero)) return true;
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return true;
        return false;
    }
}
