using ActorTrain.Core.Augmentation;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Training;

/// <summary>
/// A worker's model replica: loads a flat weight vector, runs forward and backward on one micro-batch, and
/// writes the flat gradient. Gradients are sums over the micro-batch's samples (not means), so a shard can
/// combine micro-batches of any sizes into an exact mean. Owns its module and batch buffers; one thread at a time.
/// </summary>
public sealed class ReplicaTrainer : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly FlatModel _flat;
    private readonly long[] _sampleShape;
    private readonly DropoutSource _dropout;
    private readonly ImageAugmentation _augmentation;
    private readonly ulong _seed;
    private float[] _features = [];
    private long[] _labels = [];

    /// <param name="expectedParameters">When given, the parameter count the caller's layout has; a model of another size is refused.</param>
    public ReplicaTrainer(ModelSpec spec, int? expectedParameters = null)
    {
        _seed = spec.Seed;
        _dropout = new DropoutSource(spec.Seed);
        _augmentation = spec.Augmentation ?? ImageAugmentation.None;
        if (_augmentation.Enabled && spec.InputShape.Count != 3)
            throw new ArgumentException($"augmentation is for images [channels, height, width], not inputs of [{string.Join(",", spec.InputShape)}]");
        _model = ModelFactory.Create(spec, _dropout);
        _model.train();
        _flat = new FlatModel(_model);
        if (expectedParameters is { } expected && ParameterCount != expected)
        {
            _model.Dispose();
            throw new InvalidOperationException($"the model has {ParameterCount} parameters, the shards hold {expected}");
        }
        _sampleShape = [.. spec.InputShape.Select(d => (long)d)];
    }

    public int ParameterCount => _flat.Layout.TotalLength;
    public FlatModel Flat => _flat;

    /// <summary>Forward and backward on the given samples with the given weights; returns Σ loss.</summary>
    /// <param name="batchKey">The micro-batch's <see cref="MicroBatchSeed.Key"/>: its augmentation and dropout masks are drawn from it.</param>
    public MicroBatchResult ComputeGradient(ReadOnlySpan<float> weights, LabeledSamples data, ReadOnlySpan<int> indices, Span<float> gradientSum, ulong batchKey = 0)
    {
        _flat.LoadWeights(weights);
        var result = Backward(data, indices, batchKey);
        _flat.ReadGradients(gradientSum);
        return result;
    }

    /// <summary>
    /// Forward and backward on the given samples with the weights already in <see cref="Flat"/> (loaded range by
    /// range, straight from shard payloads); read the gradient from <see cref="Flat"/> afterwards.
    /// </summary>
    public MicroBatchResult Backward(LabeledSamples data, ReadOnlySpan<int> indices, ulong batchKey = 0)
    {
        var count = indices.Length;
        EnsureCapacity(count * data.FeatureCount, count);
        data.CopyRows(indices, _features.AsSpan(0, count * data.FeatureCount), _labels.AsSpan(0, count));
        if (_augmentation.Enabled) // images only (checked at construction): an MLP's samples have one dimension
            _augmentation.Apply(_features, count, (int)_sampleShape[0], (int)_sampleShape[^2], (int)_sampleShape[^1], _seed, batchKey);
        _dropout.Begin(batchKey);

        using var scope = NewDisposeScope();
        _model.zero_grad();
        var x = from_array(_features).narrow(0, 0, count * data.FeatureCount).view([count, .. _sampleShape]);
        var y = from_array(_labels).narrow(0, 0, count);
        var loss = nn.functional.cross_entropy(_model.forward(x), y, reduction: nn.Reduction.Sum);
        loss.backward();
        return new MicroBatchResult(loss.item<float>(), count);
    }

    private void EnsureCapacity(int features, int samples)
    {
        // Exact sizes: from_array views the whole array, and narrow() takes the rows in use.
        if (_features.Length < features) _features = new float[features];
        if (_labels.Length < samples) _labels = new long[samples];
    }

    public void Dispose() => _model.Dispose();
}
