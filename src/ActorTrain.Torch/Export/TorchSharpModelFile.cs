using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Export;

/// <summary>
/// A trained model in TorchSharp's own <c>save</c> format: the model of <see cref="ModelSpec"/> with the flat weights
/// loaded, written by <c>Module.save</c>; <c>Module.load</c> on a model built from the same spec reads it back.
/// </summary>
public static class TorchSharpModelFile
{
    public static void Save(ModelSpec spec, ReadOnlySpan<float> weights, string path)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var scope = NewDisposeScope();
        using var module = ModelFactory.Create(spec);
        new FlatModel(module).LoadWeights(weights);
        module.save(path);
    }
}
