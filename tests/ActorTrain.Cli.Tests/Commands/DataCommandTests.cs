using System.Buffers.Binary;
using ActorTrain.Cli.Tests.Export;
using Xunit;

namespace ActorTrain.Cli.Tests.Commands;

/// <summary>`actortrain data check` through the CLI, on a tiny Fashion-MNIST-format folder whose faults are known.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-data-").FullName;

    /// <summary>
    /// 6 training images: image k is filled with the byte k, except that image 4 repeats image 1; labels 0 1 2 3 1 x.
    /// 3 test images, the first repeating training image 2. The job holds out 2 training rows for validation.
    /// </summary>
    private string Job(byte lastTrainLabel)
    {
        var data = Path.Combine(_directory, "fm");
        Directory.CreateDirectory(data);
        byte[] train = [0, 1, 2, 3, 1, 5];
        WriteImages(Path.Combine(data, "train-images-idx3-ubyte"), train);
        WriteLabels(Path.Combine(data, "train-labels-idx1-ubyte"), [0, 1, 2, 3, 1, lastTrainLabel]);
        WriteImages(Path.Combine(data, "t10k-images-idx3-ubyte"), [2, 7, 8]);
        WriteLabels(Path.Combine(data, "t10k-labels-idx1-ubyte"), [2, 7, 8]);
        var job = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(job, $$"""
            actortrain {
              job { name = data-test, seed = 3 }
              data { task = fashion-mnist, path = "{{data}}", validation-size = 2, download = off }
            }
            """);
        return job;
    }

    private static void WriteImages(string path, byte[] fills)
    {
        var bytes = new byte[16 + fills.Length * 28 * 28];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), fills.Length);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 28);
        for (var i = 0; i < fills.Length; i++) bytes.AsSpan(16 + i * 784, 784).Fill(fills[i]);
        File.WriteAllBytes(path, bytes);
    }

    private static void WriteLabels(string path, byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public async Task A_label_outside_the_classes_is_reported_and_fails_the_check()
    {
        var (code, output, error) = await Cli("data", "check", Job(lastTrainLabel: 12));
        Assert.True(code == 1, error + output);
        // The label sits on whichever split the seed put training row 5 in: train and validation together hold exactly one.
        Assert.Matches(@"(train|validation): 1 label\(s\) outside 0\.\.9", output);
        Assert.Contains("test: 0 label(s) outside 0..9, 0 record(s) with out-of-range values", output);
        Assert.Contains("verdict: 0 unreadable part(s) and 1 out-of-range record(s)", output);
    }

    [Fact]
    public async Task Duplicates_within_and_across_splits_are_found_and_a_clean_set_passes()
    {
        var (code, output, error) = await Cli("data", "check", Job(lastTrainLabel: 9));
        Assert.True(code == 0, error + output);
        // Image 1 occurs twice in the training file; whether both copies stay in train depends on the held-out rows,
        // so count it over train and validation together: one within-split group or one cross-split image.
        var withinTrain = output.Contains("train: 1 image(s) occur more than once (1 extra copies), 0 of them with different labels");
        var acrossTrainValidation = output.Contains("train & validation: 1 image(s) in both, 0 of them with different labels");
        Assert.True(withinTrain ^ acrossTrainValidation, output);
        // Training image 2 is the first test image, whichever of train or validation it is in.
        Assert.Matches(@"(train|validation) & test: 1 image\(s\) in both", output);
        Assert.Contains("test: none", output);
        Assert.Matches(@"test\s+3\s+0\s+0\s+1\s+0\s+0\s+0\s+0\s+1\s+1\s+0\s+0\.000", output);
        Assert.Contains("verdict: every record is readable and in range; the duplicates above are reported, not removed", output);
    }

    [Fact]
    public async Task A_truncated_file_is_reported_as_unreadable()
    {
        var job = Job(lastTrainLabel: 9);
        var test = Path.Combine(_directory, "fm", "t10k-images-idx3-ubyte");
        File.WriteAllBytes(test, File.ReadAllBytes(test)[..1000]);
        var (code, output, _) = await Cli("data", "check", job);
        Assert.Equal(1, code);
        Assert.Contains("unreadable: ", output);
        Assert.Contains("verdict: 1 unreadable part(s)", output);
    }

    private static Task<(int Code, string Output, string Error)> Cli(params string[] args) => FinishedRun.Actortrain(args);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
