namespace ActorTrain.Torch.Data;

/// <summary>A folder that may hold a dataset, and why it is searched (shown when nothing is found).</summary>
internal sealed record DataDirectoryCandidate(string Path, string Origin);
