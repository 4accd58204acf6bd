using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Output;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain resume runs/&lt;run-id&gt; [--in-process]</c>: continues a stopped or crashed run from its last complete
/// checkpoint, with the job and store its folder's job.hocon names, in the same folder (metrics.jsonl goes on; summary.json
/// is written at the end). A run that ran in one process resumes in one process; <c>--in-process</c> makes any run do so.
/// </summary>
public static class ResumeCommand
{
    public const string Usage = "actortrain resume <run folder> [--in-process] [--fail-on-violation] [--plain|--json]";

    private static readonly HashSet<string> Flags = ["in-process", "quiet", "plain", "json", RunCommand.FailOnViolation];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellation)
    {
        var parsed = CommandArguments.Parse(args, Flags, new HashSet<string>());
        if (parsed.Positionals.Count != 1) throw new UsageException($"resume takes one run folder.\nusage: {Usage}");
        var folder = RunFolder.Open(parsed.Positionals[0]);
        if (File.Exists(folder.SummaryFile) && !StoppedByCtl(folder.SummaryFile))
            throw new UsageException($"{folder.Path} holds a finished run ({Path.GetFileName(folder.SummaryFile)} is written): there is nothing to resume.");
        var jobFile = Path.Combine(folder.Path, RunCommand.JobFile);
        if (!File.Exists(jobFile))
            throw new UsageException($"{folder.Path} has no {RunCommand.JobFile}: it is not a run folder, or its run was started by an ActorTrain without resume.");
        var config = JobConfig.FromFile(jobFile);
        var settings = ActorTrainSettings.Create(config);
        if (settings.Persistence.RunId != folder.RunId)
            throw new UsageException($"{jobFile} stores its run under run-id '{settings.Persistence.RunId}', not the folder's name '{folder.RunId}'.");
        // A multi-process run's head leaves its address in the folder; an in-process run never does.
        var inProcess = parsed.Has("in-process") || !File.Exists(Path.Combine(folder.Path, RunCommand.HeadAddressFile));
        // A run stopped by actortrain ctl stop wrote a summary of where it stood; the resumed run writes the next one.
        if (File.Exists(folder.SummaryFile)) File.Move(folder.SummaryFile, Path.Combine(folder.Path, $"summary-stopped-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"));
        var style = RunCommand.StyleOf(parsed, output);
        var completed = await RunSession.RunAsync(folder, config, settings, parsed.Has("quiet") ? TextWriter.Null : output, jobText: "",
            inProcess, resume: true, cancellation, style).ConfigureAwait(false);
        return RunCommand.Report(output, folder, completed, parsed.Has(RunCommand.FailOnViolation), style == OutputStyle.Json);
    }

    private static bool StoppedByCtl(string summaryFile) => RunCommand.StoppedByCtl(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(summaryFile)));
}
