using System.Globalization;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Export;
using ActorTrain.Actors.Hosting;
using ActorTrain.Cli.Output;
using ActorTrain.Core.Export;
using ActorTrain.Torch.Export;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain export runs/&lt;run-id&gt; --format torchsharp|safetensors [--output PATH]</c>: writes the model a run
/// trained, from each parameter shard's newest snapshot in the run's store, as TorchSharp's <c>save</c> format or as
/// safetensors. It prints the weights' SHA-256, the same hash as <c>weights_sha256</c> in the run's summary.json.
/// </summary>
public static class ExportCommand
{
    public const string Usage = "actortrain export <run folder> --format torchsharp|safetensors [--checkpoint best|last|<id>] [--output PATH]";

    private static readonly Dictionary<string, ExportFormat> Formats = new(StringComparer.Ordinal)
    {
        ["torchsharp"] = ExportFormat.TorchSharp,
        ["safetensors"] = ExportFormat.Safetensors,
    };

    private static readonly HashSet<string> Valued = ["format", "output", "checkpoint"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), Valued);
        if (parsed.Positionals.Count != 1) throw new UsageException($"export takes one run folder.\nusage: {Usage}");
        var format = parsed.Value("format") is { } name
            ? Formats.TryGetValue(name, out var known) ? known
                : throw new UsageException($"--format {name} is not a format export writes: expected torchsharp or safetensors")
            : throw new UsageException($"export needs --format torchsharp or --format safetensors.\nusage: {Usage}");
        var folder = RunFolder.Open(parsed.Positionals[0]);
        var checkpoint = parsed.Value("checkpoint") is { } which ? CheckpointOf(folder, which) : (long?)null;
        var (job, persistence, weights) = await RunWeightsLoader.LoadAsync(folder, checkpoint, cancellation).ConfigureAwait(false);
        var path = parsed.Value("output") ?? Path.Combine(folder.Path, format == ExportFormat.TorchSharp ? "model.pt" : "model.safetensors");
        WriteWhole(path, partial =>
        {
            if (format == ExportFormat.TorchSharp)
            {
                TorchSharpModelFile.Save(job.Model, weights.Weights, partial);
                return;
            }
            using var file = File.Create(partial);
            SafetensorsWriter.Write(file, job.Parameters, weights.Weights, Metadata(persistence.RunId, job, weights));
        });
        output.WriteLine($"exported {persistence.RunId} ({job.Model}) as {format.ToString().ToLowerInvariant()}: {path}");
        output.WriteLine($"parameters: {job.Parameters.TotalLength.ToString("N0", CultureInfo.InvariantCulture)} in " +
                         $"{job.Parameters.Tensors.Count} tensors ({string.Join(", ", job.Parameters.Tensors.Select(t => $"{t.Name} [{string.Join(",", t.Shape)}]"))})");
        output.WriteLine($"shard versions: {Versions(weights)}");
        output.WriteLine(checkpoint is { } id
            ? $"weights sha256: {weights.Sha256} (checkpoint {id})"
            : $"weights sha256: {weights.Sha256} ({SummaryMatch(folder, weights.Sha256)})");
        return 0;
    }

    /// <summary>
    /// The checkpoint <c>--checkpoint</c> names: best (the run's best-checkpoint record, the newest in metrics.jsonl),
    /// last (its newest complete checkpoint) or an id.
    /// </summary>
    internal static long CheckpointOf(RunFolder folder, string which)
    {
        if (long.TryParse(which, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id;
        if (which is not ("best" or "last")) throw new UsageException($"--checkpoint {which}: expected best, last or a checkpoint id (a number above 0)");
        var type = which == "best" ? "best-checkpoint" : "checkpoint";
        var key = which == "best" ? "checkpoint" : "id";
        var metrics = Path.Combine(folder.Path, "metrics.jsonl");
        long? found = null;
        if (File.Exists(metrics))
            foreach (var line in File.ReadLines(metrics))
                if (RunFiles.Parse(line) is JsonObject record && RunFiles.Text(record, "type") == type && RunFiles.Number(record, key) is { } n)
                    found = (long)n;
        return found ?? throw new ExportException(which == "best"
            ? $"{folder.Path} has no best checkpoint: one is marked only in runs with a policy (actortrain.policy), after an evaluation that is the best so far."
            : $"{folder.Path} has no complete checkpoint (metrics.jsonl has no checkpoint record).");
    }

    private static Dictionary<string, string> Metadata(string runId, JobModel job, RunWeights weights) => new()
    {
        ["format"] = "pt", // what safetensors.torch.save_file writes: tools that check it (transformers) accept the file
        ["actortrain.run_id"] = runId,
        ["actortrain.model"] = job.Model.ToString(),
        ["actortrain.shard_versions"] = string.Join(",", weights.ShardVersions),
        ["actortrain.weights_sha256"] = weights.Sha256,
    };

    private static string Versions(RunWeights weights) =>
        string.Join(", ", weights.ShardVersions.Select((v, shard) => $"shard {shard} at {v}"));

    /// <summary>Whether the export is the model the run ended with: its hash against the final evaluation's.</summary>
    private static string SummaryMatch(RunFolder folder, string sha256)
    {
        if (!File.Exists(folder.SummaryFile)) return "the run has no summary.json: it did not finish";
        var recorded = (string?)JsonNode.Parse(File.ReadAllText(folder.SummaryFile))?["weights_sha256"];
        return recorded == sha256
            ? "matches weights_sha256 in summary.json: the model the run ended with"
            : $"summary.json's weights_sha256 is {recorded}: these are the shards' newest snapshots, not the weights the run ended with";
    }

    /// <summary>Writes next to <paramref name="path"/> and then moves it into place, so no half-written model is left there.</summary>
    private static void WriteWhole(string path, Action<string> write)
    {
        var partial = path + ".partial";
        try
        {
            write(partial);
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(partial)) File.Delete(partial);
            throw new ExportException($"cannot write {path}: {e.Message}", e);
        }
    }
}
