using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;

namespace ActorTrain.Actors.Coordinator;

/// <summary>What the coordinator tells the job's observer, built from its state: progress reports and the final result.</summary>
internal static class JobReport
{
    public static JobProgressed Progress(BatchPlan plan, CoordinatorState state, double lossSum, long samples, double seconds, double elapsedSeconds) =>
        new(Math.Min(state.Ledger.CurrentEpoch + 1, plan.Epochs),
            state.Updates,
            state.Updates,
            state.Ledger.CompletedMicroBatches,
            plan.TotalMicroBatches,
            samples > 0 ? lossSum / samples : double.NaN,
            seconds > 0 ? samples / seconds : 0,
            elapsedSeconds,
            state.Ledger.ReissuedMicroBatches,
            new Dictionary<string, long>(state.MicroBatchesByWorker),
            [.. state.Members.Keys.Order(StringComparer.Ordinal)]);

    public static JobCompleted Completed(int epochs, CoordinatorState state, double wallSeconds, double trainingSeconds, ParametersEvaluated final,
        IReadOnlyList<ShardStatistics> statistics, string modeName)
    {
        var applied = StalenessHistogram.From([]);
        var gaps = StalenessHistogram.From([]);
        foreach (var s in statistics)
        {
            applied = applied.Merge(StalenessHistogram.From(s.AppliedStaleness));
            gaps = gaps.Merge(StalenessHistogram.From(s.ClockGapAtPull));
        }
        return new JobCompleted(epochs, state.Updates, state.Samples, wallSeconds, final, state.Ledger.ReissuedMicroBatches, trainingSeconds,
            [.. applied.Counts], [.. gaps.Counts], new Dictionary<string, long>(state.MicroBatchesByWorker), modeName,
            statistics.ToDictionary(s => s.ShardId, s => s.Node), statistics.Sum(s => s.Snapshots), statistics.Sum(s => s.SnapshotFailures));
    }
}
