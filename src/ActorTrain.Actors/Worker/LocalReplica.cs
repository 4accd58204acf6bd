using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Numerics;
using ActorTrain.Core.Optimizers;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Training;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// A worker's replica for local SGD and DiLoCo rounds, used on its training thread only: it loads a round's start
/// weights from the shards' payloads, takes inner steps with the round's optimizer over the whole flat vector, and cuts
/// the pseudo-gradient (start − end weights) into one payload per shard. Its model is its own, apart from
/// <see cref="ReplicaStep"/>'s, so neither spoils what the other has loaded when the mode switches. Each mode's inner
/// optimizer keeps its state (momentum, AdamW's moments and step count) from round to round, as DiLoCo does.
/// </summary>
internal sealed class LocalReplica : IDisposable
{
    private readonly ReplicaTrainer _trainer;
    private readonly ShardLayout _layout;
    private readonly PayloadEncoding _encoding;
    private readonly float[] _start;
    private readonly float[] _delta;
    private readonly Dictionary<ConsistencyMode, ShardOptimizer> _inner = [];
    private ShardOptimizer? _round;

    public LocalReplica(ModelSpec model, ShardLayout layout, PayloadEncoding encoding)
    {
        _trainer = new ReplicaTrainer(model, layout.TotalLength);
        _layout = layout;
        _encoding = encoding;
        _start = new float[layout.TotalLength];
        _delta = new float[layout.TotalLength];
    }

    /// <summary>Starts a round of <paramref name="mode"/> on the shards' weights.</summary>
    public void Begin(ConsistencyMode mode, OptimizerSpec inner, IReadOnlyList<TensorPayload?> weights)
    {
        for (var s = 0; s < _layout.ShardCount; s++)
        {
            var range = _layout[s];
            weights[s]!.DecodeInto(_start.AsSpan(range.Start, range.Length));
        }
        if (_inner.TryGetValue(mode, out var optimizer)) optimizer.ReplaceWeights(_start);
        else _inner[mode] = optimizer = new ShardOptimizer(_start, inner);
        _round = optimizer;
    }

    /// <summary>One inner step: forward and backward on the samples, then the inner optimizer with the mean gradient.</summary>
    public MicroBatchResult Step(LabeledSamples data, int[] samples, double learningRate, ulong batchKey)
    {
        var optimizer = _round ?? throw new InvalidOperationException("no local round has begun");
        var result = _trainer.ComputeGradient(optimizer.CurrentWeights, data, samples, optimizer.Gradient, batchKey);
        FloatSpans.Divide(optimizer.Gradient, result.Samples);
        optimizer.SetLearningRate(learningRate);
        optimizer.Step();
        return result;
    }

    /// <summary>The round's pseudo-gradient, start − end weights, one payload per shard.</summary>
    public TensorPayload[] PseudoGradients()
    {
        var optimizer = _round ?? throw new InvalidOperationException("no local round has begun");
        FloatSpans.Difference(_start, optimizer.CurrentWeights, _delta);
        return [.. _layout.Ranges.Select(r => TensorPayload.Encode(_delta.AsSpan(r.Start, r.Length), _encoding))];
    }

    public void Dispose() => _trainer.Dispose();
}
