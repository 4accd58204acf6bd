using ActorTrain.Actors.Export;
using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using ActorTrain.Torch.Native;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// The weights a run folder holds, as <c>export</c> writes them and <c>run --init-from</c> starts from: its model (from
/// its config.hocon), its store, and its shards' newest snapshots or those of checkpoint <c>checkpoint</c>, put together.
/// </summary>
public static class RunWeightsLoader
{
    public static async Task<(JobModel Job, PersistenceSettings Persistence, RunWeights Weights)> LoadAsync(RunFolder folder, long? checkpoint,
        CancellationToken cancellation)
    {
        var settings = ActorTrainSettings.Create(JobConfig.FromText(folder.ReadConfig()));
        TorchRuntime.EnsureReady();
        var job = JobModel.Of(settings);
        var persistence = RunSnapshots.StoreOf(settings.Persistence, folder.Path);
        var snapshots = await RunSnapshots.LoadAsync(persistence, folder.Path, job.Shards.ShardCount, cancellation, checkpoint).ConfigureAwait(false);
        return (job, persistence, RunWeights.Assemble(job.Shards, snapshots));
    }
}
