namespace ActorTrain.Torch.Data;

/// <summary>The content of an IDX image file: <see cref="Count"/> images of Rows × Columns bytes, row-major.</summary>
internal sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Columns;
}
