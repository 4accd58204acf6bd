namespace ActorTrain.Actors.Hosting;

/// <summary>Why a worker node ended; the CLI turns it into an exit code.</summary>
public enum WorkerNodeOutcome
{
    TrainingCompleted = 0,
    Stopped = 1,
    HeadLost = 3,

    /// <summary>Not a member within actortrain.cluster.join-timeout: no head at the seed, or (with TLS) no mutual trust.</summary>
    NotJoined = 4,
}
