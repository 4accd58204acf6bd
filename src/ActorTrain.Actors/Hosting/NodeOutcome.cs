namespace ActorTrain.Actors.Hosting;

/// <summary>Why a node that joined a job's cluster ended; the CLI turns it into an exit code.</summary>
public enum NodeOutcome
{
    /// <summary>Its worker finished (training is over), or the head left the cluster in the normal way at the end of the job.</summary>
    JobEnded = 0,

    /// <summary>Stopped from outside (Ctrl-C, SIGTERM, the parent process gone).</summary>
    Stopped = 1,

    /// <summary>The head became unreachable and was downed: the job cannot go on from here.</summary>
    HeadLost = 3,

    /// <summary>Not a member within actortrain.cluster.join-timeout: no head at the seed, or (with TLS) no mutual trust.</summary>
    NotJoined = 4,
}
