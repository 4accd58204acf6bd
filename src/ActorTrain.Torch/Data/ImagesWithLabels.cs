namespace ActorTrain.Torch.Data;

/// <summary>An IDX image file read together with its label file, counts checked to agree.</summary>
internal sealed record ImagesWithLabels(string ImagesPath, IdxImages Images, byte[] Labels);
