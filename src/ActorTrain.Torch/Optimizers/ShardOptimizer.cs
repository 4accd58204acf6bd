using System.Runtime.InteropServices;
using ActorTrain.Core.Hyperparameters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Optimizers;

/// <summary>
/// One shard's weights as a single flat TorchSharp parameter with its optimizer (SGD with momentum, Adam,
/// AdamW). A gradient is written straight into the parameter's grad storage, then the optimizer steps.
/// Owns both tensors; use from one thread at a time.
/// </summary>
public sealed class ShardOptimizer : IDisposable
{
    private readonly Parameter _weights;
    private readonly optim.Optimizer _optimizer;
    private readonly Tensor _gradient;

    public ShardOptimizer(ReadOnlySpan<float> initialWeights, OptimizerSpec spec)
    {
        Length = initialWeights.Length;
        _weights = new Parameter(zeros(Length));
        initialWeights.CopyTo(Span(_weights));
        // Allocate the grad tensor once; every Apply overwrites it in place.
        using (var scope = NewDisposeScope()) (_weights * 0f).sum().backward();
        _gradient = _weights.grad!;
        _optimizer = spec.Kind switch
        {
            OptimizerKind.Sgd => optim.SGD([_weights], spec.LearningRate, spec.Momentum, weight_decay: spec.WeightDecay, nesterov: spec.Nesterov),
            OptimizerKind.Adam => optim.Adam([_weights], spec.LearningRate, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW([_weights], spec.LearningRate, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown optimizer"),
        };
        Spec = spec;
    }

    public int Length { get; }
    public OptimizerSpec Spec { get; }

    /// <summary>One optimizer step with the given mean gradient.</summary>
    public void Apply(ReadOnlySpan<float> meanGradient)
    {
        if (meanGradient.Length != Length) throw new ArgumentException($"gradient has {meanGradient.Length} elements, the shard {Length}");
        meanGradient.CopyTo(Gradient);
        Step();
    }

    /// <summary>The gradient storage itself: fill it (e.g. decode a payload straight into it), then <see cref="Step"/>.</summary>
    public Span<float> Gradient => Span(_gradient);

    /// <summary>One optimizer step with whatever <see cref="Gradient"/> holds.</summary>
    /// <remarks>
    /// Outside any dispose scope: the optimizer keeps native objects across steps (its state), which a scope around
    /// step() could free. (Removing the scope did not end the rare "Expected false to be true" from
    /// c10::Scalar::toFloat inside SGD's step under heavy GC; see the README's known limits.)
    /// </remarks>
    public void Step() => _optimizer.step();

    /// <summary>The weights' storage, read-only; valid until the next step.</summary>
    public ReadOnlySpan<float> CurrentWeights => Span(_weights);

    public void SetLearningRate(double rate)
    {
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = rate;
    }

    public void ReadWeights(Span<float> destination) => Span(_weights).CopyTo(destination);

    public float[] Weights()
    {
        var copy = new float[Length];
        ReadWeights(copy);
        return copy;
    }

    private static Span<float> Span(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    public void Dispose()
    {
        _optimizer.Dispose();
        _gradient.Dispose();
        _weights.Dispose();
    }
}
