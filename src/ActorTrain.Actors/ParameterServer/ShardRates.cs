using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// The learning rate a shard applies at each version: its schedule with the run's persisted changes on top
/// (<see cref="EffectiveLearningRate"/>), the list as the coordinator last sent it (<see cref="SetLearningRates"/>) or the
/// shard's snapshot held it. The same list gives every shard, and every restart of one, the same double at each version.
/// </summary>
internal sealed class ShardRates(LearningRateSchedule schedule)
{
    private EffectiveLearningRate _rate = new(schedule, []);
    private LearningRateChanged[] _changes = [];

    public IReadOnlyList<LearningRateChanged> Changes => _changes;

    public double At(long version) => _rate.At(version);

    /// <summary>Takes <paramref name="changes"/> when they differ from the list held; returns whether they did.</summary>
    public bool Take(IReadOnlyList<LearningRateChanged> changes)
    {
        if (changes.SequenceEqual(_changes)) return false;
        Restore(changes);
        return true;
    }

    public void Restore(IReadOnlyList<LearningRateChanged> changes)
    {
        _changes = [.. changes];
        _rate = new EffectiveLearningRate(schedule, _changes.Select(c => c.Change));
    }
}
