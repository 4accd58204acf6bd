namespace ActorTrain.Cli.Report;

/// <summary>What kind of thing a marked event is: each kind has its colour and line style on the time axes.</summary>
public enum EventKind
{
    /// <summary>A chaos fault fired (chaos.json).</summary>
    Fault,

    /// <summary>A worker was lost: its micro-batches went out again.</summary>
    NodeLost,

    /// <summary>A worker (a new incarnation) asked for its first work.</summary>
    NodeJoined,

    /// <summary>A shard came back from its snapshot, or a coordinator replayed its journal.</summary>
    Recovery,

    /// <summary>A complete checkpoint was recorded.</summary>
    Checkpoint,

    /// <summary>The consistency mode changed.</summary>
    ModeChange,

    /// <summary>The learning rate was changed by a policy or by hand.</summary>
    LearningRateChange,

    /// <summary>The run went back to a checkpoint (a resume, or a rollback after divergence).</summary>
    Rollback,

    /// <summary>A record of a kind this report does not know (written by a newer ActorTrain): shown by its type.</summary>
    Other,
}
