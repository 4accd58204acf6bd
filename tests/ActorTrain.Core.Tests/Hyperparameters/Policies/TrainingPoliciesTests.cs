using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Hyperparameters.Policies;
using Xunit;
using static ActorTrain.Core.Tests.Hyperparameters.Policies.Evaluations;

namespace ActorTrain.Core.Tests.Hyperparameters.Policies;

public sealed class TrainingPoliciesTests
{
    private static readonly LearningRateSchedule Constant = new(ScheduleKind.Constant, 0.1, 1000, 0);

    private static readonly TrainingPolicies Both = new(new ReduceOnPlateau { Patience = 1, Factor = 0.5 }, new EarlyStopping { Patience = 4 });

    /// <summary>Judges each evaluation live, persisting each reduction as the coordinator does, and returns what it persisted.</summary>
    private static (PolicyState State, List<KnownChange> Changes, List<PolicyJudgement> Judgements) Live(TrainingPolicies policies, params Evaluation[] evaluations)
    {
        var state = policies.Start;
        var changes = new List<KnownChange>();
        var judgements = new List<PolicyJudgement>();
        foreach (var e in evaluations)
        {
            var judged = policies.Judge(state, e, Constant, changes);
            judgements.Add(judged);
            if (judged.Plateau?.ChangeAt(e.Update) is { } change) changes.Add(new KnownChange(change, judged.State.Evaluations));
            state = judged.State;
        }
        return (state, changes, judgements);
    }

    [Fact]
    public void Each_judgement_sees_the_rate_that_the_changes_before_it_left_in_force()
    {
        var (_, changes, judged) = Live(Both, At(10, 1.0), At(20, 1.0), At(30, 1.0), At(40, 1.0), At(50, 1.0));

        // Patience 1: the 2nd bad evaluation after the best reduces, then counting starts again.
        Assert.Equal([0.1, 0.1, 0.1, 0.05, 0.05], judged.Select(j => j.RateInForce));
        Assert.Equal([false, false, true, false, true], judged.Select(j => j.Plateau!.Reduce));
        Assert.Equal([30L, 50], changes.Select(c => c.Change.AtUpdate));
        Assert.Equal([3, 5], changes.Select(c => c.AfterEvaluations));
        Assert.Equal(0.025, new EffectiveLearningRate(Constant, changes.Select(c => c.Change)).At(50), 15);
        Assert.Equal([false, false, false, false, true], judged.Select(j => j.Stops));
    }

    [Fact]
    public void A_replay_of_what_was_persisted_reaches_the_state_the_live_judgements_reached()
    {
        var evaluations = new[] { At(10, 1.0), At(20, 0.9), At(30, 0.95), At(40, 0.97), At(50, 0.8), At(60, 0.85), At(70, 0.9) };
        var (state, changes, _) = Live(Both, evaluations);

        Assert.Equal(state, Both.Replay(evaluations, Constant, changes));
        // And after any prefix, which is what a coordinator recovered mid-run replays.
        for (var n = 0; n <= evaluations.Length; n++)
        {
            var (prefixState, _, _) = Live(Both, evaluations[..n]);
            Assert.Equal(prefixState, Both.Replay(evaluations[..n], Constant, changes));
        }
    }

    [Fact]
    public void Without_policies_nothing_is_decided()
    {
        var judged = TrainingPolicies.None.Judge(TrainingPolicies.None.Start, At(10, 1.0), Constant, []);
        Assert.False(TrainingPolicies.None.Any);
        Assert.Null(judged.Plateau);
        Assert.Null(judged.Stop);
        Assert.Equal(1, judged.State.Evaluations);
    }
}
