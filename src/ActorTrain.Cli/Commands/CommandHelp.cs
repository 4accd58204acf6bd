namespace ActorTrain.Cli.Commands;

/// <summary>
/// What <c>actortrain &lt;command&gt; --help</c> (or <c>actortrain help &lt;command&gt;</c>) prints: the command's usage line, which
/// the command itself owns, then what it does and each option. Exit code 0.
/// </summary>
public static class CommandHelp
{
    private static readonly Dictionary<string, (string Usage, string Text)> Commands = new(StringComparer.Ordinal)
    {
        ["run"] = (RunCommand.Usage, """
            Trains a job and writes runs/<run-id>/ (config, metrics.jsonl, summary.json, history/, staleness.json).
            By default this process is the head (coordinator, shards, evaluator) and each worker a child process.
              --in-process           every role in this process
              --workers N            worker replicas (job.workers)
              --shards S             parameter shards (job.shards)
              --epochs E             passes over the training split (job.epochs)
              --mode M               asp, bsp, ssp:s, local-sgd:H or diloco:H (job.mode)
              --seed K               the job's seed (job.seed)
              --runs-dir DIR         where the run folder goes (run.directory, default runs)
              --init-from SRC        start from trained weights: a safetensors file, a run folder (the weights it
                                     ended with), or a run folder/best, /last or /<checkpoint id>; checked against the model
              --set key=value        any configuration key, repeatable
              --fail-on-violation    exit 5 when an invariant is violated
              --quiet                print only the final lines
            """),
        ["resume"] = (ResumeCommand.Usage, """
            Continues a stopped or crashed run from its last complete checkpoint, in the same folder.
              --in-process           resume every role in this process (an in-process run always does)
              --fail-on-violation    exit 5 when an invariant is violated
              --quiet                print only the final lines
            """),
        ["node"] = (NodeCommand.Usage, """
            Joins a running job's cluster as a worker, a ps node and/or a standby coordinator.
              --roles R              worker, ps and/or coordinator, comma-separated (required)
              --seed ADDRESS         the head's address, as its run folder's head.address holds it (required)
              --config FILE          the job file: the run folder's job.hocon (required)
              --worker-id ID         this worker's id (default: worker-<host name>-<pid>)
              --port P               the port to listen on (default: any free port)
              --parent-pid PID       exit when that process ends
              --log FILE             write the node's log there
              --set key=value        any configuration key, repeatable
            """),
        ["ctl"] = (CtlCommand.Usage, """
            Reads or changes a live multi-process run, reaching its head at the run folder's head.address.
              status                 state, mode, update, epoch, learning rate, workers, last evaluation, durability
              set-lr R, scale-lr F   the learning rate from the next update (BSP: the next step) on, persisted
              checkpoint             takes one now (BSP: at the next step boundary) and prints its id once complete
              pause, continue        no micro-batch goes out while paused (BSP: the step begun is finished first)
              stop                   pauses, takes a checkpoint at rest, and ends the run; actortrain resume goes on
              set-mode M             asp, bsp, ssp:s, local-sgd[:H] or diloco[:H]; to or from BSP at a step boundary
            """),
        ["bench"] = (BenchCommand.Usage, """
            Prints performance figures as ratios against baselines measured in the same run.
              overhead|cluster|wire|checkpoint|recovery   which bench (default: all of them)
              --config FILE          the job to measure (default hocon/fashion-mnist-mlp.hocon)
              --epochs E             epochs per measurement (default 1; recovery: 3)
              --repeats R            measurements per figure (default 2)
              --payload-kib K, --window W, --mib M   wire: payload size, messages in flight, MiB per measurement
              --target A             recovery: the validation accuracy of the goodput row (default 0.85)
              --set key=value        any configuration key, repeatable
            """),
        ["export"] = (ExportCommand.Usage, """
            Writes the model a run trained, from its shards' newest snapshots, and prints its SHA-256.
              --format F             torchsharp or safetensors (required)
              --output PATH          where to write it (default: model.pt or model.safetensors in the run folder)
            """),
        ["chaos"] = (ChaosCommand.Usage, """
            Runs a fault scenario and judges it (a verdict per invariant); soak generates and runs many.
              --dir DIR              the work folder (default runs/chaos)
              --quiet                no live output
              --count N, --seed K    soak: how many scenarios, from which seed
              --budget 30m           soak: stop starting new scenarios after this long
              --processes-share P    soak: the share of scenarios with real processes (default 0.2)
              --shrink               soak: shrink a failing scenario to a smaller one that still fails
            """),
        ["report"] = (ReportCommand.Usage, """
            Plots runs (PNG, ScottPlot) and writes one self-contained report.html with the plots embedded: loss and
            validation accuracy against updates and wall time, throughput, staleness, learning rate and micro-batches per
            worker, with faults, lost and joined workers, recoveries, checkpoints, mode and rate changes and rollbacks
            marked. Several folders are overlaid, with a table: time to the target accuracy, push bytes per sample, final
            accuracies.
              --output DIR           where the PNGs and report.html go (default: <run folder>/report for one run,
                                     runs/report-<stamp> for several)
              --target A             the validation accuracy "time to target" is measured to (default 0.85)
            """),
        ["runs"] = (RunsCommand.Usage, """
            Lists the run folders in DIR (default runs): id, job, mode, state, updates and test accuracy.
            States: running (a process of the run is alive), finished (summary.json written), resumable (ended without a
            summary; `actortrain resume` continues it), crashed (ended without a summary and cannot be resumed).
            """),
        ["data"] = (DataCommand.Usage, """
            Reads the job's data as training splits it (the same seed holds out the same validation rows) and prints a
            data-quality report: samples per class in each split, unreadable files or records, labels outside the classes
            and out-of-range values, and exact (byte-for-byte) duplicate images within each split and across splits.
            Exit 0 when every record is usable (duplicates are reported, not refused), 1 when some are not.
            """),
    };

    public static IReadOnlyCollection<string> Names => Commands.Keys;

    /// <summary>The help of <paramref name="command"/>; null for a command that has none.</summary>
    public static string? For(string command) =>
        Commands.TryGetValue(command, out var help) ? $"usage: {help.Usage}\n\n{help.Text}\n" : null;

    /// <summary>Whether the arguments after the command ask for its help.</summary>
    public static bool Asked(IReadOnlyList<string> args) => args.Skip(1).Any(a => a is "--help" or "-h");
}
