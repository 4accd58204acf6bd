using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;
using ActorTrain.Cli.Output;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// A job file with a bench's override lines, ready to run multi-process and quietly, as <c>run</c> would run it: the
/// child processes load the same text (the file plus the lines).
/// </summary>
public sealed record BenchJob(ActorTrainSettings Settings, Func<string, CancellationToken, Task<(RunFolder Folder, JobCompleted Completed)>> Train)
{
    public static BenchJob Of(string jobFile, IReadOnlyList<string> lines)
    {
        var config = JobConfig.FromFile(jobFile, lines);
        var settings = ActorTrainSettings.Create(config);
        var text = File.ReadAllText(jobFile) + "\n" + string.Join("\n", lines) + "\n";
        return new BenchJob(settings, (runsDirectory, cancellation) => RunCommand.TrainAsync(config, settings, runsDirectory, TextWriter.Null, cancellation, text));
    }
}
