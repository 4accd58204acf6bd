using Akka.Actor;
using Akka.Pattern;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator runs under a backoff supervisor: a persistence failure stops a persistent actor (a failed journal
/// write always does; the coordinator stops itself on a rejected one too), and the supervisor starts it again after a
/// growing pause, until the store works. The new instance replays its journal and goes on from what is durable.
/// </summary>
public static class CoordinatorSupervision
{
    /// <summary>The coordinator's name under its supervisor.</summary>
    public const string ChildName = "coordinator";

    public static Props Props(Props coordinator) =>
        BackoffSupervisor.Props(Backoff.OnStop(coordinator, ChildName, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2,
            maxNrOfRetries: -1));
}
