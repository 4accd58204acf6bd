using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Tests.Serialization;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>The coordinator's state machine: its events, replayed or restored from a snapshot, give the same state.</summary>
public sealed class CoordinatorStateTests
{
    // 40 samples in micro-batches of 4: 10 per epoch, 2 per step (5 steps per epoch), 2 epochs.
    private static readonly BatchPlan Plan = new(trainCount: 40, microBatchSize: 4, microBatchesPerStep: 2, epochs: 2, seed: 9);

    private static MicroBatchAssigned Assign(string worker, int index, int epoch = 0) => new(worker, epoch, index);

    private static MicroBatchCommitted Commit(string worker, int index, int epoch = 0) => new(worker, epoch, index, 4, 1.5f);

    /// <summary>A history with workers joining, a restart, a departure, commits, a mode change and a complete checkpoint.</summary>
    private static IReadOnlyList<IWireMessage> History() =>
    [
        new WorkerJoined("w1", 10, "akka://actortrain/user/w1"),
        new WorkerJoined("w2", 20, "akka://actortrain/user/w2"),
        Assign("w1", 0), Assign("w2", 1), Assign("w1", 2), Assign("w2", 3),
        Commit("w1", 0), Commit("w2", 1),
        new CheckpointStarted(1, AtVersion: 2, Updates: 2, new MicroBatchRef(0, 4), []),
        Commit("w1", 2),
        new WorkerJoined("w2", 21, "akka://actortrain/user/w2b"), // restarted: micro-batch 3 goes out again
        Assign("w2", 3), Assign("w1", 4), Commit("w2", 3),
        new CheckpointRecorded(1, Updates: 2, TrainingSeconds: 4.5, [2, 2]),
        new ModeChanged("asp", 0, AtUpdate: 2),
        Assign("w2", 5), Commit("w1", 4),
        new WorkerReleased("w1", "gone"),
        new CheckpointStarted(2, AtVersion: 4, Updates: 4, new MicroBatchRef(0, 8), []),
    ];

    private static CoordinatorState Replay(IEnumerable<IWireMessage> events, ConsistencyMode mode = ConsistencyMode.Bsp)
    {
        var state = new CoordinatorState(Plan, mode);
        foreach (var e in events) state.Apply(e);
        return state;
    }

    [Fact]
    public void Replaying_the_events_gives_the_ledger_updates_workers_and_checkpoints_they_describe()
    {
        var state = Replay(History());

        Assert.Equal(5, state.Ledger.CompletedMicroBatches);
        Assert.Equal(3, state.Updates); // BSP steps 0 and 1 complete; then micro-batch 4, committed under ASP, is an update of its own
        Assert.Equal(20, state.Samples);
        Assert.Equal(1, state.Ledger.ReissuedMicroBatches);
        Assert.Equal([new MicroBatchId(0, 5)], state.Ledger.HeldBy("w2"));
        Assert.Equal(new Dictionary<string, long> { ["w1"] = 10, ["w2"] = 21 }, state.Incarnations);
        Assert.Equal(new Dictionary<string, string> { ["w2"] = "akka://actortrain/user/w2b" }, state.Members);
        Assert.Equal(new Dictionary<string, long> { ["w1"] = 3, ["w2"] = 2 }, state.MicroBatchesByWorker);
        Assert.Equal(new ModeChanged("asp", 0, 2), state.Mode);
        Assert.Equal(1, state.LastCheckpoint?.Started.Id);
        Assert.Equal(2, state.CheckpointsInProgress.Single().Id);
        Assert.Equal((3, 4L), (state.NextCheckpointId, state.LastCheckpointTarget));
    }

    [Fact]
    public void A_state_restored_from_its_snapshot_is_the_same_state_and_takes_the_same_events_after_it()
    {
        var history = History();
        for (var cut = 0; cut <= history.Count; cut++)
        {
            var restored = CoordinatorState.FromSnapshot(Plan, ConsistencyMode.Bsp, Replay(history.Take(cut)).ToSnapshot());
            foreach (var e in history.Skip(cut)) restored.Apply(e);

            WireStructure.AssertEqual(Replay(history).ToSnapshot(), restored.ToSnapshot());
        }
    }

    [Fact]
    public void Restoring_a_checkpoint_goes_back_to_its_ledger_position_and_update_count_and_forgets_the_workers()
    {
        var state = Replay([.. History(), new CheckpointRestored(1, Updates: 2)]);

        Assert.Equal(new LedgerPosition(new MicroBatchId(0, 4), []), state.Ledger.Position);
        Assert.Equal((2L, 16L, 0), (state.Updates, state.Samples, state.Ledger.OutstandingCount));
        Assert.Equal(1 + 1 + 1, state.Ledger.ReissuedMicroBatches); // 3 when w2 restarted; then 4 committed after the position, 5 out
        Assert.Empty(state.Members);
        Assert.Empty(state.CheckpointsInProgress);
        Assert.Equal(2, state.LastCheckpointTarget);
        Assert.Equal(4.5, state.TrainingSecondsBefore);
        Assert.Equal(new MicroBatchId(0, 4), state.Ledger.PeekNext());
        Assert.Equal(5, state.MicroBatchesByWorker.Values.Sum()); // what workers did stays counted
        Assert.Equal((null, ConsistencyMode.Bsp), (state.Mode, state.ModeInForce)); // the checkpoint was taken before the switch to ASP
    }

    [Fact]
    public void Restoring_a_checkpoint_taken_after_a_live_switch_goes_back_to_the_mode_it_was_taken_in()
    {
        var toBsp = new ModeChanged("bsp", 0, AtUpdate: 2, StepOffset: 5, FromStep: 1);
        var state = Replay([
            new WorkerJoined("w1", 1, "akka://actortrain/user/w1"), Assign("w1", 0), Assign("w1", 1), Commit("w1", 0), Commit("w1", 1), toBsp,
            new CheckpointStarted(1, AtVersion: 7, Updates: 3, new MicroBatchRef(0, 4), [], toBsp), Assign("w1", 2), Assign("w1", 3), Commit("w1", 2),
            Commit("w1", 3), new CheckpointRecorded(1, Updates: 3, TrainingSeconds: 1, [7, 7]), new ModeChanged("asp", 0, AtUpdate: 3, FromStep: 2),
            Assign("w1", 4), Commit("w1", 4), new CheckpointRestored(1, Updates: 3),
        ], ConsistencyMode.Asp);

        Assert.Equal((toBsp, ConsistencyMode.Bsp, 5L, 1L), (state.Mode, state.ModeInForce, state.StepOffset, state.UpdateOffset));
        Assert.Equal(3, state.Updates);
    }

    [Fact]
    public void Restoring_checkpoint_0_goes_back_to_the_start()
    {
        var state = Replay([.. History(), new CheckpointRestored(0, Updates: 0)]);

        Assert.Equal(LedgerPosition.Start, state.Ledger.Position);
        Assert.Equal((0L, 0L, 0.0), (state.Updates, state.Samples, state.TrainingSecondsBefore));
    }

    [Fact]
    public void Events_that_do_not_fit_the_state_are_refused_with_the_reason()
    {
        Assert.Contains("it was not in progress", Assert.Throws<InvalidOperationException>(() =>
            Replay([new CheckpointRecorded(7, 0, 0, [0, 0])])).Message);
        Assert.Contains("NotAssigned", Assert.Throws<InvalidOperationException>(() => Replay([Commit("w1", 0)])).Message);
        Assert.Contains("not the last complete checkpoint", Assert.Throws<InvalidOperationException>(() =>
            Replay([new CheckpointRestored(3, 6)])).Message);
        Assert.Throws<ArgumentException>(() => Replay([new RequestWork("w1", 1)]));
    }

    [Fact]
    public void At_most_a_few_checkpoints_wait_for_their_shards_and_a_recorded_one_drops_those_before_it()
    {
        var started = Enumerable.Range(1, CoordinatorState.MaxCheckpointsInProgress + 2)
            .Select(id => new CheckpointStarted(id, id, id, new MicroBatchRef(0, 2 * id), []))
            .ToList();
        var state = Replay(started);
        Assert.Equal(Enumerable.Range(3, CoordinatorState.MaxCheckpointsInProgress).Select(i => (long)i), state.CheckpointsInProgress.Select(c => c.Id));

        state.Apply(new CheckpointRecorded(5, 5, 1, [5, 5]));

        Assert.Equal([6L], state.CheckpointsInProgress.Select(c => c.Id));
        Assert.Equal(5, state.LastCheckpoint?.Recorded.Id);
    }
}
