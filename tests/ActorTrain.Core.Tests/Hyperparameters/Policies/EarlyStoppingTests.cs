using ActorTrain.Core.Hyperparameters.Policies;
using CsCheck;
using Xunit;
using static ActorTrain.Core.Tests.Hyperparameters.Policies.Evaluations;

namespace ActorTrain.Core.Tests.Hyperparameters.Policies;

public sealed class EarlyStoppingTests
{
    private static EarlyStoppingDecision[] Decisions(EarlyStopping policy, params Evaluation[] evaluations)
    {
        var state = policy.Start;
        return [.. evaluations.Select(e => { (state, var d) = policy.Decide(state, e); return d; })];
    }

    [Fact]
    public void Stops_after_patience_evaluations_without_improving_by_min_delta_and_names_the_best()
    {
        var policy = new EarlyStopping { Patience = 2, MinDelta = 0.01 };
        var d = Decisions(policy, At(1, 1.0), At(2, 0.995), At(3, 0.98), At(4, 0.975), At(5, 0.99));

        Assert.Equal([false, false, false, false, true], d.Select(x => x.Stop));
        Assert.Equal([1L, 1, 3, 3, 3], d.Select(x => x.Best!.Update));
        Assert.Equal("validation loss 1 at update 1 is the new best (the first evaluation)", d[0].Reason);
        Assert.Equal("validation loss 0.995 at update 2 does not improve on the best, 1 at update 1: 1 of patience 2", d[1].Reason);
        Assert.Equal("validation loss 0.98 at update 3 is the new best (past the best, 1 at update 1 by more than min-delta 0.01)", d[2].Reason);
        Assert.Equal("validation loss 0.99 at update 5: 2 evaluations without improving by min-delta 0.01 reach patience 2; stop, ending with the checkpoint of the best, 0.98 at update 3", d[4].Reason);
        Assert.True(d[4].RestoreBest);
    }

    [Fact]
    public void Watches_accuracy_in_max_mode_and_passes_restore_best_through()
    {
        var policy = new EarlyStopping { Metric = WatchedMetric.ValidationAccuracy, Mode = MetricMode.Max, Patience = 1, RestoreBest = false };
        var d = Decisions(policy, At(1, 9, 0.5), At(2, 9, 0.6), At(3, 9, 0.6));
        Assert.Equal([false, false, true], d.Select(x => x.Stop));
        Assert.Equal(2, d[2].Best!.Update);
        Assert.False(d[2].RestoreBest);
        Assert.Equal("validation accuracy 0.6 at update 3: 1 evaluations without improving by min-delta 0 reach patience 1; stop, the best, 0.6 at update 2", d[2].Reason);
    }

    [Fact]
    public void Patience_zero_stops_at_the_first_evaluation_that_does_not_improve() =>
        Assert.Equal([false, false, true], Decisions(new EarlyStopping { Patience = 0 }, At(1, 1.0), At(2, 0.9), At(3, 0.9)).Select(x => x.Stop));

    [Fact]
    public void Once_stopped_it_stays_stopped_with_the_same_best()
    {
        var d = Decisions(new EarlyStopping { Patience = 0 }, At(1, 1.0), At(2, 1.0), At(3, 0.1));
        Assert.True(d[2].Stop);
        Assert.Equal(1, d[2].Best!.Update);
        Assert.StartsWith("validation loss 0.1 at update 3 came after the run was told to stop", d[2].Reason);
    }

    [Fact]
    public void NaN_never_improves_and_no_best_is_named_when_none_was_finite()
    {
        var d = Decisions(new EarlyStopping { Patience = 2 }, At(1, double.NaN), At(2, double.NaN));
        Assert.Equal([false, true], d.Select(x => x.Stop));
        Assert.Null(d[1].Best);
        Assert.EndsWith("stop, no evaluation had a finite value", d[1].Reason);
    }

    [Fact]
    public void Replay_gives_the_state_of_deciding_one_by_one()
    {
        var policy = new EarlyStopping { Patience = 2 };
        Evaluation[] history = [At(1, 1.0), At(2, 0.8), At(3, 0.9)];
        Assert.Equal(new EarlyStoppingState(history[1], 1, false), policy.Replay(history));
    }

    /// <summary>With min-delta 0 the best is the first evaluation holding the lowest loss so far, and the run stops exactly patience evaluations after it.</summary>
    [Fact]
    public void The_best_is_the_first_lowest_so_far_and_the_stop_comes_patience_evaluations_after_it() =>
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 6].Select(i => i / 4.0).Array[1, 40]).Sample((patience, losses) =>
        {
            var policy = new EarlyStopping { Patience = patience };
            var state = policy.Start;
            for (var i = 0; i < losses.Length && !state.Stopped; i++)
            {
                (state, var decision) = policy.Decide(state, At(i, losses[i]));
                var firstLowest = Array.IndexOf(losses, losses.Take(i + 1).Min());
                Assert.Equal(firstLowest, decision.Best!.Update);
                Assert.Equal(i - firstLowest >= patience && i > firstLowest || patience == 0 && i > firstLowest, decision.Stop);
            }
        });
}
