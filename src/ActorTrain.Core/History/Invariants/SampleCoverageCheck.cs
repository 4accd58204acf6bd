using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;

namespace ActorTrain.Core.History.Invariants;

/// <summary>
/// Invariant 2: each epoch, every micro-batch, and so every training sample, is committed exactly once when the epoch
/// ran wholly under BSP, at least once otherwise (re-issues and repeats counted). Judged for the epochs recorded
/// complete, and for all epochs once the final weights are recorded (only those recorded complete when training stopped
/// early: the epoch it stopped in is partly consumed by design); the samples of a micro-batch come from the plan.
/// A resume (<see cref="RunRolledBack"/>) undoes the commits its position does not hold, and vouches for those it does:
/// the coordinator's journal holds them even where the stopped session's history lost them with its unflushed tail.
/// A coordinator recovered in a running job (<see cref="CoordinatorRecovered"/>) vouches in the same way for what its
/// journal held, and undoes nothing.
/// A commit marked skipped (a divergence rollback's trouble window) covers its micro-batch like any other: its samples
/// were left out on purpose, not lost, so it must report 0 of them instead of the plan's count. Exactly once under BSP
/// applies to it too, and a rollback undoes it like any other commit.
/// </summary>
internal static class SampleCoverageCheck
{
    public const int Number = 2;
    public const string Name = "each sample consumed once per epoch";

    public static InvariantVerdict Check(IReadOnlyList<HistoryEvent> history, InvariantCheckOptions options)
    {
        var plan = options.Plan;
        var mode = options.Mode;
        var commits = new Dictionary<MicroBatchId, List<string>>();
        var skipped = new HashSet<MicroBatchId>(); // those with a live commit that is a skip
        var highestIndex = new Dictionary<int, int>();
        var notBspEpochs = new HashSet<int>();
        var completed = new SortedSet<int>();
        var violations = new Violations();
        long commitCount = 0, reissued = 0, undoneByRollbacks = 0;
        var finished = false;
        var stoppedEarly = false;
        RunRolledBack? lastRollback = null;
        var recoveries = new List<CoordinatorRecovered>();
        var vouched = 0;

        foreach (var historyEvent in history)
        {
            switch (historyEvent)
            {
                case ModeChanged changed:
                    mode = changed.Mode;
                    break;
                case EpochCompleted epoch:
                    completed.Add(epoch.Epoch);
                    break;
                case FinalWeights final:
                    finished = true;
                    stoppedEarly = final.StoppedEarly;
                    break;
                case MicroBatchAssigned assigned:
                    See(assigned.MicroBatch);
                    break;
                case MicroBatchReissued reissue:
                    reissued++;
                    See(reissue.MicroBatch);
                    break;
                case MicroBatchCommitted committed:
                    commitCount++;
                    Commit(committed);
                    break;
                case RunRolledBack rolledBack:
                    RollBack(rolledBack);
                    break;
                case CoordinatorRecovered recovered:
                    recoveries.Add(recovered);
                    break;
            }
        }

        var judged = new SortedSet<int>(completed);
        if (finished && !stoppedEarly) judged.UnionWith(plan is null ? highestIndex.Keys : Enumerable.Range(0, plan.Epochs));
        var inProgress = highestIndex.Keys.Count(e => !judged.Contains(e));
        var repeated = commits.Values.Count(workers => workers.Count > 1);
        foreach (var epoch in judged) JudgeEpoch(epoch);

        return violations.Verdict(Number, Name,
            $"{judged.Count} epochs checked, {commitCount} commits, {reissued} re-issued, {repeated} micro-batches committed more than once"
            + (plan is null ? "" : $", each of {plan.TrainCount} samples consumed every epoch")
            + (skipped.Count == 0 ? "" : $", {skipped.Count} micro-batches skipped")
            + (lastRollback is null ? "" : $", {undoneByRollbacks} commits undone by rollbacks")
            + (lastRollback is null && recoveries.Count == 0 ? "" : $", {vouched} known only from {(lastRollback is null ? "a recovered coordinator's journal" : "the checkpoint resumed from")}")
            + (inProgress == 0 ? "" : stoppedEarly ? $", {inProgress} epoch(s) not checked: training stopped early in them" : $", {inProgress} epochs in progress not checked"));

        void RollBack(RunRolledBack rolledBack)
        {
            lastRollback = rolledBack;
            recoveries.Clear(); // what they held after the rollback's position is undone, and what they held before it, it holds too
            finished = false;
            stoppedEarly = false;
            foreach (var id in commits.Keys.Where(rolledBack.Undoes).ToArray())
            {
                commits.Remove(id);
                skipped.Remove(id);
                undoneByRollbacks++;
            }
            completed.RemoveWhere(e => e >= rolledBack.Cursor.Epoch || rolledBack.NotDone.Any(id => id.Epoch == e));
        }

        void See(MicroBatchId id)
        {
            if (plan is null || InPlan(plan, id)) highestIndex[id.Epoch] = Math.Max(highestIndex.GetValueOrDefault(id.Epoch, -1), id.Index);
        }

        void Commit(MicroBatchCommitted committed)
        {
            var id = committed.MicroBatch;
            if (plan is not null && !InPlan(plan, id))
            {
                violations.Add($"micro-batch {id} is not in the plan");
                return;
            }
            if (committed.Skipped is not null)
            {
                if (committed.Samples != 0) violations.Add($"micro-batch {id} committed as skipped with {committed.Samples} samples");
                skipped.Add(id);
            }
            else if (plan?.SamplesOf(id).Length is { } samples && samples != committed.Samples)
            {
                violations.Add($"micro-batch {id} committed with {committed.Samples} samples, the plan has {samples}");
            }
            See(id);
            if (mode != ConsistencyMode.Bsp) notBspEpochs.Add(id.Epoch);
            if (!commits.TryGetValue(id, out var workers)) commits[id] = workers = [];
            workers.Add(committed.WorkerId);
        }

        void JudgeEpoch(int epoch)
        {
            if (plan is not null && (epoch < 0 || epoch >= plan.Epochs))
            {
                violations.Add($"epoch {epoch} completed but the plan has epochs 0 to {plan.Epochs - 1}");
                return;
            }
            var count = plan?.MicroBatchesPerEpoch ?? highestIndex.GetValueOrDefault(epoch, -1) + 1;
            for (var index = 0; index < count; index++)
            {
                var id = new MicroBatchId(epoch, index);
                if (!commits.TryGetValue(id, out var workers) && (lastRollback is { } rollback && !rollback.Undoes(id) || recoveries.Any(r => r.Holds(id))))
                    vouched++;
                else if (workers is null)
                    violations.Add($"micro-batch {id} never committed in epoch {epoch}" + (plan is null ? "" : $" ({plan.SamplesOf(id).Length} samples not consumed)"));
                else if (workers.Count > 1 && !notBspEpochs.Contains(epoch))
                    violations.Add($"micro-batch {id} committed {workers.Count} times under BSP (by {string.Join(", ", workers)})");
            }
        }
    }

    private static bool InPlan(BatchPlan plan, MicroBatchId id) =>
        id.Epoch >= 0 && id.Epoch < plan.Epochs && id.Index >= 0 && id.Index < plan.MicroBatchesPerEpoch;
}
