using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Hosting;

/// <summary>How a joining node ended, and on a coordinator node that finished the job, the job's result.</summary>
public sealed record NodeResult(NodeOutcome Outcome, JobCompleted? Completed = null);
