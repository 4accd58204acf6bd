namespace ActorTrain.Torch.Data;

/// <summary>
/// A dataset is missing, truncated or corrupt. The message names the file or the places searched and
/// says how to fix it; retrying without fixing the files will fail the same way.
/// </summary>
public sealed class DatasetException : Exception
{
    public DatasetException(string message) : base(message)
    {
    }

    public DatasetException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
