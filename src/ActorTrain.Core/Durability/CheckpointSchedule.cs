namespace ActorTrain.Core.Durability;

/// <summary>
/// When the coordinator starts a checkpoint, every <see cref="EveryUpdates"/> updates (0: never) and never at or
/// after the job's last update (the run is then as good as over). In BSP a checkpoint is taken at a step boundary:
/// shards snapshot exactly at version = step, so it is asked for one step ahead, when the first micro-batch of the
/// step before that boundary goes out (no shard can be past the boundary then). In the other modes a checkpoint is
/// whatever versions the shards are at when they are asked, started when the committed updates reach the next multiple.
/// </summary>
public sealed record CheckpointSchedule(long EveryUpdates, long TotalUpdates)
{
    /// <summary>BSP: handing out a micro-batch of <paramref name="step"/>; the boundary to checkpoint at, with the reason, or null.</summary>
    public (long? Version, string Reason) AtStepBoundary(long step, long lastTarget)
    {
        var boundary = step + 1;
        if (EveryUpdates <= 0) return (null, "checkpoints are off");
        if (boundary % EveryUpdates != 0) return (null, "not a multiple of every-updates");
        if (boundary <= lastTarget) return (null, $"step {boundary} is already checkpointed or being checkpointed");
        if (boundary >= TotalUpdates) return (null, $"step {boundary} is the job's end");
        return (boundary, $"step {boundary} is a multiple of {EveryUpdates}, asked for one step ahead");
    }

    /// <summary>Other modes: <paramref name="updates"/> are committed; whether to checkpoint now, with the reason.</summary>
    public (bool Due, string Reason) AfterCommit(long updates, long lastTarget)
    {
        if (EveryUpdates <= 0) return (false, "checkpoints are off");
        if (updates >= TotalUpdates) return (false, "the job's end");
        if (updates / EveryUpdates <= lastTarget / EveryUpdates) return (false, "before the next multiple of every-updates");
        return (true, $"update {updates} reached a multiple of {EveryUpdates}");
    }
}
