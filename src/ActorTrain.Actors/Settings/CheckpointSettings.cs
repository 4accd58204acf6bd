using ActorTrain.Core.Durability;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.persistence.checkpoint: the coordinator takes a checkpoint every <see cref="EveryUpdates"/> updates (in BSP
/// an update is a step, and the checkpoint is at that step boundary); 0 turns checkpoints off, and `actortrain resume`
/// then starts the run over.
/// </summary>
public sealed record CheckpointSettings(long EveryUpdates)
{
    /// <summary>The coordinator's decision function (Core) for a job of <paramref name="totalUpdates"/> updates.</summary>
    public CheckpointSchedule Schedule(long totalUpdates) => new(EveryUpdates, totalUpdates);

    public static CheckpointSettings Create(SettingsReader r) => new(r.Int("every-updates", 0, 1_000_000_000));
}
