using ActorTrain.Core.Classification;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Evaluation;

/// <summary>Mean loss, accuracy and confusion matrix of a flat weight vector on a labelled set, in chunks, without gradients.</summary>
public sealed class ModelEvaluator : IDisposable
{
    private const int Chunk = 1000;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly FlatModel _flat;
    private readonly long[] _sampleShape;

    public ModelEvaluator(ModelSpec spec)
    {
        _model = ModelFactory.Create(spec);
        _model.eval();
        _flat = new FlatModel(_model);
        _sampleShape = [.. spec.InputShape.Select(d => (long)d)];
    }

    public int ParameterCount => _flat.Layout.TotalLength;

    public EvaluationResult Evaluate(ReadOnlySpan<float> weights, LabeledSamples samples)
    {
        _flat.LoadWeights(weights);
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        var indices = new int[Chunk];
        var features = new float[Chunk * samples.FeatureCount];
        var labels = new long[Chunk];
        var predictions = new long[Chunk];
        var confusion = new ConfusionMatrix(samples.ClassCount);
        for (var start = 0; start < samples.Count; start += Chunk)
        {
            var n = Math.Min(Chunk, samples.Count - start);
            for (var i = 0; i < n; i++) indices[i] = start + i;
            samples.CopyRows(indices.AsSpan(0, n), features.AsSpan(0, n * samples.FeatureCount), labels.AsSpan(0, n));
            using var scope = NewDisposeScope();
            var x = from_array(features).narrow(0, 0, n * samples.FeatureCount).view([n, .. _sampleShape]);
            var y = from_array(labels).narrow(0, 0, n);
            var logits = _model.forward(x);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            var predicted = logits.argmax(1);
            correct += predicted.eq(y).sum().item<long>();
            predicted.data<long>().CopyTo(predictions, 0);
            for (var i = 0; i < n; i++) confusion.Add((int)labels[i], (int)predictions[i]);
        }
        return new EvaluationResult(samples.Count == 0 ? 0 : lossSum / samples.Count, samples.Count == 0 ? 0 : (double)correct / samples.Count, samples.Count, confusion);
    }

    public void Dispose() => _model.Dispose();
}
