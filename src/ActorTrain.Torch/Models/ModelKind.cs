namespace ActorTrain.Torch.Models;

public enum ModelKind
{
    /// <summary>Fully connected layers with ReLU between them.</summary>
    Mlp,

    /// <summary>Two 5×5 convolutions with max-pooling, then a linear classifier; for image inputs [C,H,W].</summary>
    Cnn,
}
