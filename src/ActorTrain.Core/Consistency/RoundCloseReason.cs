namespace ActorTrain.Core.Consistency;

/// <summary>Why a worker ends its local round and pushes its pseudo-gradient.</summary>
public enum RoundCloseReason
{
    /// <summary>H inner steps are done.</summary>
    Full,

    /// <summary>The job switched to another mode (or between local SGD and DiLoCo): the round ends early under the mode it began in.</summary>
    ModeChanged,

    /// <summary>
    /// The coordinator has nothing to hand out now: the rest of the job is out with workers (the end of the run).
    /// Waiting for a full round would hold this round's micro-batches uncommitted forever.
    /// </summary>
    NoWorkAvailable,
}
