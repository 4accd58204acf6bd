namespace ActorTrain.Core.History;

/// <summary>Why a shard went back to an earlier version, which decides what must happen to the pushes it undid.</summary>
public enum RestoreCause
{
    /// <summary>The shard was lost and re-created from its snapshot: acked pushes it undid must be replayed.</summary>
    Recovery,

    /// <summary>The job rolled back to a good checkpoint on purpose: the pushes it undid are discarded.</summary>
    Rollback,
}
