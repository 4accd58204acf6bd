namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// The rate a shard applies at an update: the schedule's rate times every factor in force at that update, where an
/// absolute change r at update u0 replaces what came before it with r * schedule(u) / schedule(u0) (just r when the
/// schedule is constant, or is 0 at u0). Changes apply in the order of their updates, and those at the same update in
/// the order given (the order they were persisted). A pure function of the schedule and the list, multiplied left to
/// right, so every shard recomputing it gets the same double, and a constant schedule with factor changes gives PyTorch's
/// <c>lr = lr * factor</c> sequence bit for bit.
/// </summary>
public sealed class EffectiveLearningRate
{
    private readonly RateChange[] _changes;

    public EffectiveLearningRate(LearningRateSchedule schedule, IEnumerable<RateChange> changes)
    {
        Schedule = schedule;
        _changes = [.. changes.OrderBy(c => c.AtUpdate)]; // OrderBy is stable: ties keep the persisted order.
    }

    public LearningRateSchedule Schedule { get; }

    public IReadOnlyList<RateChange> Changes => _changes;

    /// <summary>A copy with <paramref name="change"/> persisted after the others.</summary>
    public EffectiveLearningRate With(RateChange change) => new(Schedule, [.. _changes, change]);

    public double At(long update)
    {
        var scheduled = Schedule.At(update);
        var rate = scheduled;
        foreach (var change in _changes)
        {
            if (change.AtUpdate > update) break;
            if (!change.Absolute)
            {
                rate *= change.Value;
                continue;
            }
            var anchor = Schedule.At(change.AtUpdate);
            rate = anchor > 0 && double.IsFinite(anchor) ? change.Value * (scheduled / anchor) : change.Value;
        }
        return rate;
    }
}
