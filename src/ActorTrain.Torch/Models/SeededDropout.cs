using static TorchSharp.torch;

namespace ActorTrain.Torch.Models;

/// <summary>Inverted dropout whose masks come from a <see cref="DropoutSource"/>; the identity in evaluation mode.</summary>
public sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _p;
    private readonly DropoutSource _source;

    public SeededDropout(double p, DropoutSource source) : base(nameof(SeededDropout))
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "a dropout probability is in [0, 1)");
        _p = p;
        _source = source;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _p == 0) return input.alias();
        var mask = tensor(_source.Mask(input.numel(), _p)).view(input.shape);
        return input * mask;
    }
}
