using System.Text.Json;
using ActorTrain.Chaos.Faults;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Chaos.Agent;

/// <summary>
/// The chaos agent of one process of a job: an Akka extension a chaos run loads through <c>akka.extensions</c>. It holds
/// the process's message and store faults (read by the faulty mailbox, journal and snapshot store), writes
/// the process's address and the warnings it logs to the control directory, and carries out the runner's commands there.
/// Without <c>actortrain-chaos.control-directory</c> it only holds the (empty) faults.
/// </summary>
public sealed class ChaosAgent : IExtension
{
    public const string ControlDirectoryKey = "actortrain-chaos.control-directory";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ExtendedActorSystem _system;
    private readonly ControlDirectory? _control;
    private readonly AgentCommands? _commands;

    public MessageFaults Messages { get; } = new();
    public StoreFaults Store { get; } = new();

    public ChaosAgent(ExtendedActorSystem system)
    {
        _system = system;
        var path = system.Settings.Config.GetString(ControlDirectoryKey, "");
        if (path.Length == 0) return;
        _control = new ControlDirectory(path);
        _commands = new AgentCommands(system, this);
        var pid = Environment.ProcessId;
        var address = system.Provider.DefaultAddress.ToString();
        File.WriteAllText(_control.AgentFile(pid), JsonSerializer.Serialize(new { pid, address }, ControlDirectory.Json));
        var logger = system.SystemActorOf(Props.Create(() => new AgentLogWriter(_control.EventFile(pid))), "chaos-agent-log");
        system.EventStream.Subscribe(logger, typeof(Warning));
        system.EventStream.Subscribe(logger, typeof(Error));
        system.RegisterOnTermination(() => WriteFinalCounts(pid));
        _ = PollAsync(pid);
    }

    /// <summary>What the faults still in force hit, for a runner that can no longer ask (the job ended first).</summary>
    private void WriteFinalCounts(int pid)
    {
        var results = Messages.EverAdded
            .Select(rule => new AgentResult(0, pid, true, $"at exit: hit {rule.Hit} of {rule.Seen} messages", rule.Hit, rule.Id))
            .Append(new AgentResult(0, pid, true, "at exit", Store.Failed + Store.SlowedWrites, AgentResult.StoreRule));
        ControlDirectory.AppendLines(_control!.ResultFile(pid), results);
    }

    public static ChaosAgent For(ActorSystem system) => system.WithExtension<ChaosAgent, ChaosAgentProvider>();

    private async Task PollAsync(int pid)
    {
        var tail = new LineTail(_control!.Commands);
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (!_system.WhenTerminated.IsCompleted && await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                foreach (var line in tail.ReadNew())
                {
                    var command = JsonSerializer.Deserialize<AgentCommand>(line, ControlDirectory.Json)!;
                    if (command.To.Length > 0 && !command.To.Contains(pid)) continue;
                    var detail = await _commands!.RunAsync(command).ConfigureAwait(false);
                    ControlDirectory.AppendLine(_control.ResultFile(pid), new AgentResult(command.Id, pid, detail.Done, detail.Detail, detail.Count));
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            _system.Log.Warning("chaos agent stopped reading {0}: {1}", _control.Commands, e.Message);
        }
    }
}
