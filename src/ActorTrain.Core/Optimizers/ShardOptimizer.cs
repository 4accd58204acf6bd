using System.Numerics;
using System.Runtime.InteropServices;
using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Core.Optimizers;

/// <summary>
/// One shard's weights and optimizer state as plain float arrays, with PyTorch's update rules for SGD (momentum,
/// Nesterov, weight decay), Adam and AdamW written out element by element. It replaced a TorchSharp optimizer over
/// one flat parameter: under frequent garbage collections that one now and then read a freed native scalar and
/// failed mid-step. Plain arrays also make the step deterministic and free of native calls. Use from one thread.
/// </summary>
public sealed class ShardOptimizer
{
    private const float AdamEpsilon = 1e-8f;

    private readonly float[] _weights;
    private readonly float[] _gradient;
    private readonly float[]? _first;   // SGD's momentum buffer, or Adam's first moment
    private readonly float[]? _second;  // Adam's second moment
    private bool _started;
    private long _steps;

    public ShardOptimizer(ReadOnlySpan<float> initialWeights, OptimizerSpec spec)
        : this(initialWeights.ToArray(), spec)
    {
    }

    private ShardOptimizer(float[] weights, OptimizerSpec spec)
    {
        Spec = spec;
        LearningRate = spec.LearningRate;
        _weights = weights;
        _gradient = new float[_weights.Length];
        if (spec.Kind != OptimizerKind.Sgd || spec.Momentum != 0) _first = new float[_weights.Length];
        if (spec.Kind != OptimizerKind.Sgd) _second = new float[_weights.Length];
    }

    public OptimizerSpec Spec { get; }
    public int Length => _weights.Length;
    public double LearningRate { get; private set; }
    public long Steps => _steps;

    /// <summary>The gradient buffer: fill it (e.g. decode a payload straight into it), then <see cref="Step"/>.</summary>
    public Span<float> Gradient => _gradient;

    /// <summary>The weights, read-only; valid until the next step.</summary>
    public ReadOnlySpan<float> CurrentWeights => _weights;

    public void SetLearningRate(double rate) => LearningRate = rate;

    /// <summary>
    /// Another optimizer over these same weights, with its own state and gradient buffer: a step of either moves
    /// both. A shard applies gradients with its own optimizer and local SGD / DiLoCo pseudo-gradients with an outer one.
    /// </summary>
    public ShardOptimizer Sharing(OptimizerSpec spec) => new(_weights, spec);

    /// <summary>
    /// Overwrites the weights and keeps the state (momentum, moments, step count): a worker starts each local round
    /// from the shards' weights and carries its inner optimizer's state from round to round.
    /// </summary>
    public void ReplaceWeights(ReadOnlySpan<float> weights)
    {
        if (weights.Length != Length) throw new ArgumentException($"weights have {weights.Length} elements, the optimizer {Length}");
        weights.CopyTo(_weights);
    }

    /// <summary>Writes <paramref name="values"/> over the weights from <paramref name="start"/> (frozen layers go back to their values).</summary>
    public void Overwrite(int start, ReadOnlySpan<float> values) => values.CopyTo(_weights.AsSpan(start));

    /// <summary>One optimizer step with the given mean gradient.</summary>
    public void Apply(ReadOnlySpan<float> meanGradient)
    {
        if (meanGradient.Length != Length) throw new ArgumentException($"gradient has {meanGradient.Length} elements, the shard {Length}");
        meanGradient.CopyTo(_gradient);
        Step();
    }

    /// <summary>One optimizer step with whatever <see cref="Gradient"/> holds.</summary>
    public void Step()
    {
        _steps++;
        switch (Spec.Kind)
        {
            case OptimizerKind.Sgd: Sgd(); break;
            case OptimizerKind.Adam: Adam(decoupled: false); break;
            default: Adam(decoupled: true); break;
        }
        _started = true;
    }

    public float[] Weights() => (float[])_weights.Clone();

    /// <summary>A copy of the whole state, for a snapshot; the optimizer may step on meanwhile.</summary>
    public OptimizerState Export() =>
        new((float[])_weights.Clone(), (float[]?)_first?.Clone(), (float[]?)_second?.Clone(), _started, _steps);

    /// <summary>An optimizer that carries on from <paramref name="state"/> (taken from one with the same spec).</summary>
    public static ShardOptimizer Restore(OptimizerState state, OptimizerSpec spec)
    {
        var optimizer = new ShardOptimizer(state.Weights, spec);
        if ((optimizer._first is null) != (state.First is null) || (optimizer._second is null) != (state.Second is null))
            throw new ArgumentException($"the saved state's moment buffers do not match a {spec.Kind} optimizer", nameof(state));
        state.First?.CopyTo(optimizer._first!, 0);
        state.Second?.CopyTo(optimizer._second!, 0);
        optimizer._started = state.Started;
        optimizer._steps = state.Steps;
        return optimizer;
    }

    private void Sgd()
    {
        float lr = (float)LearningRate, momentum = (float)Spec.Momentum, decay = (float)Spec.WeightDecay;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same operations, Vector<float>.Count elements at a time: each lane rounds as the scalar code does.
            var w = MemoryMarshal.Cast<float, Vector<float>>(_weights.AsSpan());
            var grad = MemoryMarshal.Cast<float, Vector<float>>(_gradient.AsSpan());
            var buffer = _first is null ? default : MemoryMarshal.Cast<float, Vector<float>>(_first.AsSpan());
            Vector<float> lrV = new(lr), momentumV = new(momentum), decayV = new(decay);
            for (var v = 0; v < w.Length; v++)
            {
                var g = grad[v];
                if (decay != 0) g += decayV * w[v];
                if (_first != null)
                {
                    buffer[v] = _started ? buffer[v] * momentumV + g : g;
                    g = Spec.Nesterov ? g + momentumV * buffer[v] : buffer[v];
                }
                w[v] -= lrV * g;
            }
            i = w.Length * Vector<float>.Count;
        }
        for (; i < _weights.Length; i++)
        {
            var g = _gradient[i];
            if (decay != 0) g += decay * _weights[i];
            if (_first != null)
            {
                _first[i] = _started ? _first[i] * momentum + g : g;
                g = Spec.Nesterov ? g + momentum * _first[i] : _first[i];
            }
            _weights[i] -= lr * g;
        }
    }

    /// <summary>Adam (L2 weight decay folded into the gradient) or AdamW (decoupled weight decay).</summary>
    private void Adam(bool decoupled)
    {
        float lr = (float)LearningRate, beta1 = (float)Spec.Beta1, beta2 = (float)Spec.Beta2, decay = (float)Spec.WeightDecay;
        var correction1 = 1 - Math.Pow(Spec.Beta1, _steps);
        var correction2 = 1 - Math.Pow(Spec.Beta2, _steps);
        var stepSize = (float)(LearningRate / correction1);
        var correction2Root = (float)Math.Sqrt(correction2);
        var m = _first!;
        var v = _second!;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The same operations in the same order, Vector<float>.Count elements at a time (a worker's DiLoCo replica
            // steps every weight of the model once per micro-batch).
            var w = MemoryMarshal.Cast<float, Vector<float>>(_weights.AsSpan());
            var grad = MemoryMarshal.Cast<float, Vector<float>>(_gradient.AsSpan());
            var mv = MemoryMarshal.Cast<float, Vector<float>>(m.AsSpan());
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v.AsSpan());
            Vector<float> keep = new(1 - lr * decay), decayV = new(decay), beta2V = new(beta2), oneMinusBeta1 = new(1 - beta1),
                oneMinusBeta2 = new(1 - beta2), rootV = new(correction2Root), epsilon = new(AdamEpsilon), stepV = new(stepSize);
            for (var k = 0; k < w.Length; k++)
            {
                var g = grad[k];
                if (decoupled) w[k] *= keep;
                else if (decay != 0) g += decayV * w[k];
                mv[k] += oneMinusBeta1 * (g - mv[k]);
                vv[k] = vv[k] * beta2V + oneMinusBeta2 * g * g;
                var denominator = Vector.SquareRoot(vv[k]) / rootV + epsilon;
                w[k] -= stepV * mv[k] / denominator;
            }
            i = w.Length * Vector<float>.Count;
        }
        for (; i < _weights.Length; i++)
        {
            var g = _gradient[i];
            if (decoupled) _weights[i] *= 1 - lr * decay;
            else if (decay != 0) g += decay * _weights[i];
            m[i] += (1 - beta1) * (g - m[i]);
            v[i] = v[i] * beta2 + (1 - beta2) * g * g;
            var denominator = MathF.Sqrt(v[i]) / correction2Root + AdamEpsilon;
            _weights[i] -= stepSize * m[i] / denominator;
        }
    }
}
