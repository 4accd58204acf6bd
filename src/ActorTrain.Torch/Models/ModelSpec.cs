using ActorTrain.Core.Augmentation;

namespace ActorTrain.Torch.Models;

/// <summary>
/// What model to build: its kind, the shape of one input sample, the classes, the hidden widths, and its regularisation:
/// <see cref="Dropout"/> before each hidden linear layer's successor (0: none), <see cref="BatchNorm"/> after each
/// convolution (cnn only). A replica trains it on inputs augmented by <see cref="Augmentation"/>, and its dropout masks and
/// augmentations are drawn from <see cref="Seed"/> (the job seed) and the micro-batch.
/// </summary>
public sealed record ModelSpec(ModelKind Kind, IReadOnlyList<int> InputShape, int Classes, IReadOnlyList<int> Hidden, double Dropout = 0, bool BatchNorm = false,
    ImageAugmentation? Augmentation = null, ulong Seed = 0)
{
    public int InputFeatures => InputShape.Aggregate(1, (a, b) => a * b);

    public override string ToString() =>
        (Kind == ModelKind.Mlp ? $"mlp {InputFeatures}-{string.Join("-", Hidden)}-{Classes}" : $"cnn {string.Join("x", InputShape)}→{Classes}") +
        (BatchNorm ? " batch-norm" : "") + (Dropout > 0 ? $" dropout {Dropout}" : "") +
        (Augmentation is { Enabled: true } a ? $" augmented (crop padding {a.CropPadding}, flip {(a.HorizontalFlip ? "on" : "off")})" : "");
}
