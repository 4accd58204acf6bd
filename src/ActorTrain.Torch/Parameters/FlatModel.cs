using System.Runtime.InteropServices;
using ActorTrain.Core.Parameters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Parameters;

/// <summary>
/// A model seen as one flat float vector in the canonical order (<see cref="ParameterLayout"/>): weights
/// are loaded from, and gradients copied into, spans by direct memory copies into the parameters' storage.
/// </summary>
public sealed class FlatModel
{
    private readonly Parameter[] _parameters;

    public FlatModel(nn.Module module)
    {
        var named = module.named_parameters().ToArray();
        _parameters = [.. named.Select(p => p.parameter)];
        Layout = new ParameterLayout(named.Select(p => (p.name, p.parameter.shape)));
    }

    public ParameterLayout Layout { get; }

    public void LoadWeights(ReadOnlySpan<float> flat)
    {
        CheckLength(flat.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var t = Layout.Tensors[i];
            flat.Slice(t.Offset, t.Length).CopyTo(MemoryMarshal.Cast<byte, float>(_parameters[i].bytes));
        }
    }

    public void ReadWeights(Span<float> flat)
    {
        CheckLength(flat.Length);
        for (var i = 0; i < _parameters.Length; i++)
            MemoryMarshal.Cast<byte, float>(_parameters[i].bytes).CopyTo(flat.Slice(Layout.Tensors[i].Offset));
    }

    /// <summary>Copies the gradients of the last backward pass; a parameter without one contributes zeros.</summary>
    public void ReadGradients(Span<float> flat)
    {
        CheckLength(flat.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var t = Layout.Tensors[i];
            var grad = _parameters[i].grad;
            if (grad is null) flat.Slice(t.Offset, t.Length).Clear();
            else MemoryMarshal.Cast<byte, float>(grad.bytes).CopyTo(flat.Slice(t.Offset));
        }
    }

    /// <summary>Loads <paramref name="values"/> as flat elements [start, start + length): one shard's range.</summary>
    public void LoadRange(int start, ReadOnlySpan<float> values)
    {
        CheckRange(start, values.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var t = Layout.Tensors[i];
            int from = Math.Max(start, t.Offset), to = Math.Min(start + values.Length, t.Offset + t.Length);
            if (from < to) values.Slice(from - start, to - from).CopyTo(Storage(_parameters[i]).Slice(from - t.Offset));
        }
    }

    /// <summary>Copies the gradient elements [start, start + length) of the last backward pass (zeros where there is none).</summary>
    public void ReadGradientRange(int start, Span<float> destination)
    {
        CheckRange(start, destination.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var t = Layout.Tensors[i];
            int from = Math.Max(start, t.Offset), to = Math.Min(start + destination.Length, t.Offset + t.Length);
            if (from >= to) continue;
            var target = destination.Slice(from - start, to - from);
            var grad = _parameters[i].grad;
            if (grad is null) target.Clear();
            else Storage(grad).Slice(from - t.Offset, to - from).CopyTo(target);
        }
    }

    private static Span<float> Storage(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private void CheckRange(int start, int length)
    {
        if (start < 0 || length < 0 || start + length > Layout.TotalLength)
            throw new ArgumentOutOfRangeException(nameof(start), $"range [{start}, {start + length}) is outside the model's {Layout.TotalLength} elements");
    }

    private void CheckLength(int length)
    {
        if (length != Layout.TotalLength)
            throw new ArgumentException($"flat vector has {length} elements, the model {Layout.TotalLength}");
    }
}
