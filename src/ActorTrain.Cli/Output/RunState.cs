namespace ActorTrain.Cli.Output;

/// <summary>Where a run stands, as <c>actortrain runs</c> tells it.</summary>
public enum RunState
{
    /// <summary>A process of the run is alive.</summary>
    Running,

    /// <summary>It wrote its summary.json.</summary>
    Finished,

    /// <summary>It ended without a summary (stopped or killed), and <c>actortrain resume</c> can continue it.</summary>
    Resumable,

    /// <summary>It ended without a summary and cannot be resumed (its folder has no job.hocon).</summary>
    Crashed,
}
