using System.Runtime.InteropServices;
using ActorTrain.Torch.Export;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Native;
using ActorTrain.Torch.Parameters;
using ActorTrain.Torch.Tests.Data;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Tests.Export;

/// <summary>A model saved in TorchSharp's format loads back, with TorchSharp's own load, bit for bit.</summary>
public sealed class TorchSharpModelFileTests
{
    public TorchSharpModelFileTests() => TorchRuntime.EnsureReady();

    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.Cnn)]
    public void A_saved_model_loads_into_a_fresh_one_with_every_parameter_bitwise_equal(ModelKind kind)
    {
        var spec = kind == ModelKind.Mlp ? new ModelSpec(kind, [1, 4, 4], 3, [5, 4]) : new ModelSpec(kind, [1, 8, 8], 4, [6]);
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "model.pt");
        using var original = ModelFactory.Create(spec);
        var length = new FlatModel(original).Layout.TotalLength;
        // Bit patterns all over the float range (no initialiser gives these), NaN and infinities replaced, and -0.
        var weights = Enumerable.Range(0, length).Select(i => BitConverter.Int32BitsToSingle(unchecked(i * 0x2545F491)))
            .Select((f, i) => float.IsFinite(f) ? f : i).ToArray();
        weights[0] = -0f;

        TorchSharpModelFile.Save(spec, weights, path);

        using var scope = NewDisposeScope();
        using var loaded = ModelFactory.Create(spec);
        loaded.load(path);
        var back = new float[length];
        new FlatModel(loaded).ReadWeights(back);
        Assert.Equal(MemoryMarshal.AsBytes(weights.AsSpan()).ToArray(), MemoryMarshal.AsBytes(back.AsSpan()).ToArray());
    }
}
