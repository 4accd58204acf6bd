using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → job observer: training diverged (<see cref="Reason"/>, decided at update
/// <see cref="DetectedAtUpdate"/>), so the run goes back to complete checkpoint <see cref="CheckpointId"/> (at
/// <see cref="Updates"/>; 0: the start) taken before the trouble began, the learning rate is multiplied by
/// <see cref="Factor"/> from there (the <see cref="LearningRateChanged"/> journaled after it), and the micro-batches of the
/// trouble window (<see cref="Skipped"/>) are skipped: handed out as usual, never trained on, committed as skipped.
/// <see cref="Rollback"/> counts the run's rollbacks from 1. <see cref="Fenced"/>: each worker's incarnation at the
/// decision; the shards refuse every push of those incarnations and older (work computed on the diverged weights), and
/// the workers start again as new incarnations. The rollback is over at <see cref="RollbackCompleted"/>.
/// </summary>
[MessagePackObject]
public sealed record RolledBack(
    [property: Key(0)] int Rollback,
    [property: Key(1)] long CheckpointId,
    [property: Key(2)] long Updates,
    [property: Key(3)] double Factor,
    [property: Key(4)] MicroBatchRef[] Skipped,
    [property: Key(5)] string Reason,
    [property: Key(6)] long DetectedAtUpdate,
    [property: Key(7)] IReadOnlyDictionary<string, long> Fenced) : ICoordinatorEvent;
