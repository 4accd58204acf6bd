using System.Text.Json;
using ActorTrain.Chaos.Agent;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// The runner's side of the control directory: the agents that have started, commands out and their answers. Safe to use
/// from a fault still firing (a crash waiting for its target) and the runner's loop at once.
/// </summary>
public sealed class AgentClient(ControlDirectory control)
{
    private readonly Lock _gate = new();
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(5);
    private readonly Dictionary<int, LineTail> _results = [];
    private readonly List<AgentResult> _answers = [];
    private int _nextId;

    /// <summary>The agents that have announced themselves: pid → their node's address.</summary>
    public IReadOnlyDictionary<int, string> Agents()
    {
        var agents = new Dictionary<int, string>();
        foreach (var file in Directory.Exists(control.AgentsDirectory) ? Directory.GetFiles(control.AgentsDirectory, "*.json") : [])
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                agents[json.RootElement.GetProperty("pid").GetInt32()] = json.RootElement.GetProperty("address").GetString()!;
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // being written; read again next time
            }
        }
        return agents;
    }

    public int NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Sends the command to the agents of <paramref name="pids"/> and returns the answers that came within a few seconds.</summary>
    public async Task<IReadOnlyList<AgentResult>> SendAsync(AgentCommand command, IReadOnlyCollection<int> pids, CancellationToken cancellation)
    {
        lock (_gate) ControlDirectory.AppendLine(control.Commands, command with { To = [.. pids] });
        var deadline = DateTime.UtcNow + AnswerWait;
        while (true)
        {
            List<AgentResult> answers;
            lock (_gate)
            {
                Collect(pids);
                answers = _answers.Where(a => a.Id == command.Id).ToList();
            }
            // A process that is gone (killed, downed and exited) will not answer: wait only for the live ones.
            var waiting = pids.Count(p => Processes.ProcessTable.IsAlive(p) && answers.All(a => a.Pid != p));
            if (waiting == 0 || DateTime.UtcNow > deadline) return answers;
            await Task.Delay(50, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>What the agents wrote at exit for a fault still in force then (see <see cref="AgentResult.Rule"/>).</summary>
    public long CountAtExit(int rule, IEnumerable<int> pids)
    {
        lock (_gate)
        {
            Collect(pids);
            return _answers.Where(a => a.Id == 0 && a.Rule == rule).Sum(a => a.Count);
        }
    }

    private void Collect(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            if (!_results.TryGetValue(pid, out var tail)) _results[pid] = tail = new LineTail(control.ResultFile(pid));
            _answers.AddRange(tail.ReadNew().Select(l => JsonSerializer.Deserialize<AgentResult>(l, ControlDirectory.Json)!));
        }
    }
}
