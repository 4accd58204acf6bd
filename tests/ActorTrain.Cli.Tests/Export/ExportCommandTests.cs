using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;
using Xunit;
using static ActorTrain.Cli.Tests.Export.FinishedRun;

namespace ActorTrain.Cli.Tests.Export;

/// <summary>
/// <c>actortrain export</c> on a run that finished: both formats hold the weights the run ended with (their hash is the
/// final evaluation's weights_sha256), and what cannot be exported is answered with a message that names why, exit 2.
/// </summary>
public sealed class ExportCommandTests(FinishedRun run) : IClassFixture<FinishedRun>
{
    /// <summary>The MLP 5-12-6-4's parameters: its named parameters in declaration order, as PyTorch's state_dict names them.</summary>
    private static readonly (string Name, long[] Shape)[] Parameters =
    [
        ("fc1.weight", [12, 5]), ("fc1.bias", [12]), ("fc2.weight", [6, 12]), ("fc2.bias", [6]), ("out.weight", [4, 6]), ("out.bias", [4]),
    ];

    private static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task Safetensors_holds_the_final_weights_under_the_models_parameter_names_and_prints_the_runs_hash()
    {
        var (code, output, error) = await Actortrain("export", run.Folder, "--format", "safetensors");

        Assert.True(code == 0, error);
        var path = Path.Combine(run.Folder, "model.safetensors");
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal($"exported {Path.GetFileName(run.Folder)} (mlp 5-12-6-4) as safetensors: {path}", lines[0]);
        Assert.StartsWith("parameters: 178 in 6 tensors (fc1.weight [12,5], fc1.bias [12], ", lines[1]);
        Assert.Matches(@"^shard versions: shard 0 at \d+, shard 1 at \d+, shard 2 at \d+$", lines[2]);
        Assert.Equal($"weights sha256: {run.WeightsSha256} (matches weights_sha256 in summary.json: the model the run ended with)", lines[3]);

        var file = SafetensorsFile.Read(path);
        Assert.Equal(Parameters.Select(p => p.Name), file.Tensors.Select(t => t.Name));
        Assert.Equal(Parameters.Select(p => p.Shape), file.Tensors.Select(t => t.Shape));
        // In the canonical order the data section is the flat vector itself: its hash is the run's.
        Assert.Equal(run.WeightsSha256, Sha256(file.Data));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(Path.GetFileName(run.Folder), file.Metadata["actortrain.run_id"]);
        Assert.Equal(run.WeightsSha256, file.Metadata["actortrain.weights_sha256"]);
    }

    [Fact]
    public async Task TorchSharp_format_loads_back_with_torchsharps_load_into_the_runs_weights_bit_for_bit()
    {
        var path = Path.Combine(run.Directory, "elsewhere.pt");
        var (code, output, error) = await Actortrain("export", run.Folder, "--format", "torchsharp", "--output", path);

        Assert.True(code == 0, error);
        Assert.Contains($"as torchsharp: {path}", output);
        using var module = ModelFactory.Create(new ModelSpec(ModelKind.Mlp, [5], 4, [12, 6]));
        module.load(path);
        var flat = new FlatModel(module);
        Assert.Equal(Parameters.Select(p => p.Name), flat.Layout.Tensors.Select(t => t.Name));
        var weights = new float[flat.Layout.TotalLength];
        flat.ReadWeights(weights);
        Assert.Equal(run.WeightsSha256, Sha256(MemoryMarshal.AsBytes(weights.AsSpan())));
        Assert.False(File.Exists(path + ".partial"), "the partial file was left behind");
    }

    [Fact]
    public async Task A_moved_run_folder_is_read_from_its_own_state_db()
    {
        var moved = run.Copy("moved", config => System.Text.RegularExpressions.Regex.Replace(config,
            "connection-string : .*", "connection-string : \"Data Source=/nonexistent/state.db\""));
        var (code, output, error) = await Actortrain("export", moved, "--format", "safetensors");
        Assert.True(code == 0, error);
        Assert.Contains($"weights sha256: {run.WeightsSha256}", output);
    }

    [Fact]
    public async Task A_folder_without_a_store_is_answered_with_no_state()
    {
        var empty = run.Copy("no-state", config => System.Text.RegularExpressions.Regex.Replace(config,
            "connection-string : .*", "connection-string : \"\""));
        File.Delete(Path.Combine(empty, "state.db"));
        var (code, _, error) = await Actortrain("export", empty, "--format", "safetensors");
        Assert.Equal(2, code);
        Assert.Contains($"{empty} has no state: {Path.Combine(empty, "state.db")} does not exist.", error);
        Assert.False(File.Exists(Path.Combine(empty, "state.db")), "export created a database");
    }

    [Fact]
    public async Task A_shard_without_a_snapshot_is_named()
    {
        var more = run.Copy("four-shards", config => config.Replace("shards : 3", "shards : 4", StringComparison.Ordinal));
        var (code, _, error) = await Actortrain("export", more, "--format", "safetensors");
        Assert.Equal(2, code);
        Assert.Contains($"shard 3 has no snapshot (persistence id {Path.GetFileName(run.Folder)}/shard-3)", error);
    }

    [Fact]
    public async Task Snapshots_that_do_not_fit_the_configured_model_are_refused()
    {
        var wider = run.Copy("wider", config => config.Replace("hidden : [12, 6]", "hidden : [13, 6]", StringComparison.Ordinal)
            .Replace("hidden : [12,6]", "hidden : [13,6]", StringComparison.Ordinal));
        var (code, _, error) = await Actortrain("export", wider, "--format", "safetensors");
        Assert.Equal(2, code);
        Assert.Contains("shard 0's snapshot does not fit the run's model", error);
    }

    [Theory]
    [InlineData("onnx", "--format onnx is not a format export writes: expected torchsharp or safetensors")]
    [InlineData(null, "export needs --format torchsharp or --format safetensors")]
    public async Task A_missing_or_unknown_format_is_answered(string? format, string message)
    {
        var (code, _, error) = await Actortrain(format is null ? ["export", run.Folder] : ["export", run.Folder, "--format", format]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task An_output_path_that_cannot_be_written_is_named()
    {
        var path = Path.Combine(run.Directory, "no-such-directory", "model.safetensors");
        var (code, _, error) = await Actortrain("export", run.Folder, "--format", "safetensors", "--output", path);
        Assert.Equal(2, code);
        Assert.Contains($"cannot write {path}: ", error);
    }

    [Fact]
    public async Task A_missing_folder_is_named()
    {
        var missing = Path.Combine(run.Directory, "runs", "no-such-run");
        var (code, _, error) = await Actortrain("export", missing, "--format", "torchsharp");
        Assert.Equal(2, code);
        Assert.Contains($"run folder {missing} does not exist", error);
    }
}
