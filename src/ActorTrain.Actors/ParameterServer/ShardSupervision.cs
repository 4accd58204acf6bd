using Akka.Actor;
using Akka.Pattern;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// Each shard runs under a backoff supervisor: an exception restarts it, and it stopping (a persistence failure
/// always stops a persistent actor, and so does a kill) starts it again after a growing pause. Either way the new
/// instance recovers from the newest snapshot and workers replay what it lacks.
/// </summary>
public static class ShardSupervision
{
    /// <summary>The shard's name under its supervisor.</summary>
    public const string ChildName = "shard";

    public static Props Props(Props shard) =>
        BackoffSupervisor.Props(Backoff.OnStop(shard, ChildName, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 0.2, maxNrOfRetries: -1));
}
