using ActorTrain.Core.Parameters;
using ActorTrain.Core.Randomness;

namespace ActorTrain.Torch.Models;

/// <summary>
/// The job's initial weights, from its seed alone: every tensor uniform in ±1/√fan_in (PyTorch's default
/// bound for Linear and Conv2d), a bias taking the fan-in of the weight before it. Drawn by our own
/// generator, not torch's global one, so every process computes the same vector. A batch-norm layer (named bn…) starts
/// as PyTorch's does: scale 1, shift 0.
/// </summary>
public static class ModelInitializer
{
    public static float[] InitialWeights(ParameterLayout layout, ulong seed)
    {
        var weights = new float[layout.TotalLength];
        var random = SplitMix64.For(seed, RandomPurpose.ModelInit);
        var fanIn = 1L;
        foreach (var tensor in layout.Tensors)
        {
            if (tensor.Name.StartsWith("bn", StringComparison.Ordinal))
            {
                weights.AsSpan(tensor.Offset, tensor.Length).Fill(tensor.Name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f);
                continue;
            }
            if (tensor.Shape.Count >= 2) fanIn = tensor.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            var bound = (float)(1.0 / Math.Sqrt(fanIn));
            var span = weights.AsSpan(tensor.Offset, tensor.Length);
            for (var i = 0; i < span.Length; i++) span[i] = (random.NextSingle() * 2f - 1f) * bound;
        }
        return weights;
    }
}
