namespace ActorTrain.Actors.Worker;

/// <summary>
/// Thrown by a worker told to roll back (<see cref="Protocol.RollBackWork"/>): its supervisor restarts it, as for any
/// failure, as a new incarnation with nothing of the diverged weights' work. The restart is meant, so the supervisor's
/// log line carries no stack trace.
/// </summary>
public sealed class RolledBackException(string message) : Exception(message)
{
    public override string? StackTrace => null;
}
