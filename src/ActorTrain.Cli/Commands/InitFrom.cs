using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;
using ActorTrain.Core.Export;
using ActorTrain.Torch.Native;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>run --init-from</c>: the weights a run starts from, written into its folder as <see cref="FileName"/> (safetensors),
/// which <c>actortrain.run.init-from</c> then names for every process of the run, and for a resume. The source is a
/// safetensors file (as <c>export</c> writes), a run folder (its shards' newest snapshots: the weights it ended with), or
/// a run folder followed by <c>/best</c>, <c>/last</c> or <c>/&lt;checkpoint id&gt;</c>. Whether they fit the job's model
/// is checked when the job loads them (names, shapes, F32), with what does not fit named.
/// </summary>
public static class InitFrom
{
    public const string FileName = "init.safetensors";

    /// <summary>Whether the weights in <paramref name="path"/> fit the job's model: the check JobData makes, made early.</summary>
    public static void Check(string path, string source, ActorTrainSettings settings)
    {
        TorchRuntime.EnsureReady();
        JobData.InitialWeightsOf(path, JobModel.Of(settings), $"--init-from {source}");
    }

    /// <summary>Writes the weights <paramref name="source"/> names into <paramref name="folder"/>; returns the file and a line saying where they came from.</summary>
    public static async Task<(string Path, string Description)> WriteAsync(string source, RunFolder folder, CancellationToken cancellation)
    {
        var target = Path.Combine(folder.Path, FileName);
        if (File.Exists(source))
        {
            File.Copy(source, target);
            return (target, $"the weights in {source}");
        }
        var last = Path.GetFileName(Path.TrimEndingDirectorySeparator(source));
        var selector = last is "best" or "last" || long.TryParse(last, out _);
        var (runPath, which) = Directory.Exists(source) ? (source, null)
            : selector && Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(source)) is { Length: > 0 } parent && Directory.Exists(parent)
                ? (parent, last)
                : throw new UsageException($"--init-from {source}: no such file or run folder (expected a safetensors file, runs/<id>, or runs/<id>/best|last|<checkpoint id>)");
        var run = RunFolder.Open(runPath);
        var checkpoint = which is null ? (long?)null : ExportCommand.CheckpointOf(run, which);
        var (job, persistence, weights) = await RunWeightsLoader.LoadAsync(run, checkpoint, cancellation).ConfigureAwait(false);
        await using (var file = File.Create(target))
            SafetensorsWriter.Write(file, job.Parameters, weights.Weights, new Dictionary<string, string>
            {
                ["format"] = "pt", ["actortrain.run_id"] = persistence.RunId, ["actortrain.weights_sha256"] = weights.Sha256,
            });
        var what = checkpoint is { } id ? $"checkpoint {id}" : "the newest snapshots";
        return (target, $"the weights of {run.Path} ({what}, {job.Model}, sha256 {weights.Sha256})");
    }
}
