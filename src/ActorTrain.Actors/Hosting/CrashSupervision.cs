using Akka.Actor;
using Akka.Pattern;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// A worker and the evaluator each run under a backoff supervisor: a crash (an exception, or Akka's <c>Kill</c>, which
/// a chaos crash-actor sends) starts the actor again after a short pause. A worker comes back as a new incarnation that
/// asks for work, and the coordinator re-issues what the older one held; the coordinator asks again for an evaluation
/// that had no answer. An actor that stops itself (a worker at the end of the job, or one that left) stops its
/// supervisor too, so whoever watches the supervisor learns it is done. Without it a killed worker or evaluator in one
/// process stayed dead, and the job waited for it forever (found by the chaos soak). Shards and the coordinator have
/// their own supervisors, which also restart them when a persistence failure stops them.
/// </summary>
public static class CrashSupervision
{
    /// <summary>A worker's name under its supervisor, which carries the worker's id.</summary>
    public const string WorkerChildName = "worker";

    /// <summary>The evaluator's name under its supervisor.</summary>
    public const string EvaluatorChildName = "evaluator";

    public static Props Props(Props child, string childName) =>
        BackoffSupervisor.Props(Backoff.OnFailure(child, childName, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), 0.2, maxNrOfRetries: -1)
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart)));
}
