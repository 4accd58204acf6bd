namespace ActorTrain.Torch.Models;

/// <summary>What model to build: its kind, the shape of one input sample, the classes, and the hidden widths.</summary>
public sealed record ModelSpec(ModelKind Kind, IReadOnlyList<int> InputShape, int Classes, IReadOnlyList<int> Hidden)
{
    public int InputFeatures => InputShape.Aggregate(1, (a, b) => a * b);

    public override string ToString() =>
        Kind == ModelKind.Mlp ? $"mlp {InputFeatures}-{string.Join("-", Hidden)}-{Classes}" : $"cnn {string.Join("x", InputShape)}→{Classes}";
}
