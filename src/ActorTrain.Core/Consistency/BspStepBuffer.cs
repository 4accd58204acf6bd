using ActorTrain.Core.Numerics;

namespace ActorTrain.Core.Consistency;

/// <summary>
/// Collects one BSP step's micro-batch gradients for one shard and sums them in micro-batch order once
/// all have arrived, whatever order they arrived in. Each gradient is a sum over its samples; the result
/// is the mean over all the step's samples, so the weights do not depend on how many workers computed it.
/// </summary>
public sealed class BspStepBuffer
{
    private readonly float[]?[] _gradients;
    private readonly int[] _samples;
    private int _arrived;

    public BspStepBuffer(long step, int microBatches, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(microBatches);
        Step = step;
        Length = length;
        _gradients = new float[microBatches][];
        _samples = new int[microBatches];
    }

    public long Step { get; }
    public int Length { get; }
    public int MicroBatches => _gradients.Length;
    public bool IsComplete => _arrived == _gradients.Length;

    /// <summary>Whether micro-batch <paramref name="index"/>'s gradient is here.</summary>
    public bool Has(int index) => index >= 0 && index < _gradients.Length && _gradients[index] != null;

    /// <summary>Adds micro-batch <paramref name="index"/>'s gradient; false if that index is already here.</summary>
    public bool Add(int index, float[] gradientSum, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _gradients.Length);
        if (gradientSum.Length != Length) throw new ArgumentException($"gradient has {gradientSum.Length} elements, the shard {Length}");
        if (_gradients[index] != null) return false;
        _gradients[index] = gradientSum;
        _samples[index] = samples;
        _arrived++;
        return true;
    }

    /// <summary>The step's samples: 0 when every micro-batch in it was skipped (then there is no gradient to apply).</summary>
    public int Samples => _samples.Sum();

    /// <summary>The mean gradient of the step: Σ in index order, then divided by the step's sample count.</summary>
    public float[] MeanGradient()
    {
        if (!IsComplete) throw new InvalidOperationException($"step {Step} has {_arrived} of {_gradients.Length} micro-batches");
        var sum = (float[])_gradients[0]!.Clone();
        for (var i = 1; i < _gradients.Length; i++) FloatSpans.AddInto(sum, _gradients[i]);
        FloatSpans.Divide(sum, _samples.Sum());
        return sum;
    }
}
