namespace ActorTrain.Actors.Worker;

/// <summary>
/// Thrown by a worker told to roll back (<see cref="Protocol.RollBackWork"/>): its supervisor restarts it, as for any
/// failure, as a new incarnation with nothing of the diverged weights' work.
/// </summary>
public sealed class RolledBackException(string message) : Exception(message);
