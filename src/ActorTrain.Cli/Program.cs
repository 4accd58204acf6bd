using System.Runtime.InteropServices;
using ActorTrain.Actors.Export;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Native;

namespace ActorTrain.Cli;

public static class Program
{
    private const string Help =
        "actortrain — fault-tolerant distributed training with actors\n\n" +
        "commands:\n" +
        "  " + RunCommand.Usage + "\n" +
        "  " + ResumeCommand.Usage + "\n" +
        "  " + NodeCommand.Usage + "\n" +
        "  " + CtlCommand.Usage + "\n" +
        "  " + BenchCommand.Usage + "\n" +
        "  " + ExportCommand.Usage + "\n" +
        "  " + ChaosCommand.Usage + "\n" +
        "  " + ReportCommand.Usage + "\n" +
        "  " + RunsCommand.Usage + "\n" +
        "  " + DataCommand.Usage + "\n" +
        "  actortrain help [command]            (or actortrain <command> --help)\n";

    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        // SIGTERM (kill, a scheduler ending the job) stops as Ctrl-C does: a worker node hands its work back first.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the command has already ended
            }
        });
        return await RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        try
        {
            if (args.Length > 0 && CommandHelp.Asked(args) && CommandHelp.For(args[0]) is { } help) return Print(output, help, 0);
            return args.FirstOrDefault() switch
            {
                "run" => await RunCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "resume" => await ResumeCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "bench" => await BenchCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "node" => await NodeCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "ctl" => await CtlCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "export" => await ExportCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "report" => await ReportCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "runs" => await RunsCommand.RunAsync(args[1..], output).ConfigureAwait(false),
                "data" => await DataCommand.RunAsync(args[1..], output).ConfigureAwait(false),
                "chaos" => await ChaosCommand.RunAsync(args[1..], output, cancellation).ConfigureAwait(false),
                "bench-sink" => await Bench.WireSink.RunAsync(args[1..], output, cancellation).ConfigureAwait(false), // bench's own helper process
                "help" when args.Length > 1 => CommandHelp.For(args[1]) is { } text
                    ? Print(output, text, 0)
                    : Print(error, $"no command '{args[1]}'.\n\n{Help}", 2),
                null or "help" or "--help" or "-h" => Print(output, Help, 0),
                var unknown => Print(error, $"unknown command '{unknown}'.\n\n{Help}", 2),
            };
        }
        catch (Exception e) when (e is UsageException or Chaos.Scenarios.ScenarioException or ExportException or SettingsException or DatasetException or TorchUnavailableException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Actors.Hosting.HeadRemovedException e)
        {
            error.WriteLine($"error: {e.Message}");
            return (int)Actors.Hosting.NodeOutcome.HeadLost;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("stopped.");
            return 130;
        }
    }

    private static int Print(TextWriter writer, string text, int code)
    {
        writer.Write(text);
        return code;
    }
}
