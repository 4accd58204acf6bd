namespace ActorTrain.Actors.Export;

/// <summary>
/// A run's state cannot be exported: no store, a shard without a snapshot, a snapshot that does not fit the run's
/// model. The message names what is missing or wrong; exporting again without changing that fails the same way.
/// </summary>
public sealed class ExportException : Exception
{
    public ExportException(string message) : base(message)
    {
    }

    public ExportException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
