using ActorTrain.Chaos.Faults;
using ActorTrain.Chaos.Scenarios;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;

namespace ActorTrain.Chaos.Agent;

/// <summary>What an agent does for each command, in its own process.</summary>
internal sealed class AgentCommands(ExtendedActorSystem system, ChaosAgent agent)
{
    private static readonly TimeSpan IdentifyWait = TimeSpan.FromMilliseconds(700);

    public async Task<(bool Done, string Detail, long Count)> RunAsync(AgentCommand command)
    {
        try
        {
            return command.Op switch
            {
                "crash-actor" => await CrashAsync(command.Target).ConfigureAwait(false),
                "add-message-fault" => AddRule(command),
                "remove-message-fault" => RemoveRule(command.Rule),
                "blackhole" => await ThrottleAsync(command.Addresses, Blackhole.Instance).ConfigureAwait(false),
                "heal" => await ThrottleAsync(command.Addresses, Unthrottled.Instance).ConfigureAwait(false),
                "store" => SetStore(command),
                _ => (false, $"unknown op {command.Op}", 0),
            };
        }
        catch (Exception e)
        {
            return (false, $"{command.Op} failed: {e.GetType().Name}: {e.Message}", 0);
        }
    }

    /// <summary>Akka's Kill to the actor by its path here: in one process, or on whichever node hosts it.</summary>
    private async Task<(bool, string, long)> CrashAsync(string target)
    {
        foreach (var path in ActorPaths.Of(target))
        {
            ActorIdentity identity;
            try
            {
                identity = await system.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), IdentifyWait).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                continue; // a wildcard path that matches nothing here answers nothing
            }
            if (identity.Subject is not { } actor) continue;
            actor.Tell(Kill.Instance);
            return (true, $"killed {actor.Path}", 1);
        }
        return (false, $"no {target} here", 0);
    }

    private (bool, string, long) AddRule(AgentCommand c)
    {
        if (!FaultKinds.TryParse(c.Kind, out var kind)) return (false, $"unknown message fault {c.Kind}", 0);
        var types = c.Messages.Select(MessageTypes.Of).ToHashSet();
        agent.Messages.Add(new MessageFaultRule(c.Rule, kind, c.Probability, types, c.Peer, TimeSpan.FromMilliseconds(c.DelayMs), c.RandomDelay, c.Seed));
        return (true, $"{c.Kind} p={c.Probability} on", 0);
    }

    private (bool, string, long) RemoveRule(int id) =>
        agent.Messages.Remove(id) is { } rule ? (true, $"hit {rule.Hit} of {rule.Seen} messages", rule.Hit) : (false, $"no rule {id}", 0);

    private async Task<(bool, string, long)> ThrottleAsync(IEnumerable<string> addresses, ThrottleMode mode)
    {
        var transport = ((RemoteActorRefProvider)system.Provider).Transport;
        var done = new List<string>();
        foreach (var address in addresses)
        {
            var ok = await transport.ManagementCommand(new SetThrottle(Address.Parse(address), ThrottleTransportAdapter.Direction.Both, mode)).ConfigureAwait(false);
            if (ok) done.Add(address);
        }
        return (done.Count > 0, $"{(mode is Blackhole ? "blackholed" : "healed")} {string.Join(", ", done)}", done.Count);
    }

    private (long Failed, long Slowed) _storeBaseline;

    /// <summary>Turns a store fault on or off; turning it off answers how many writes it failed or slowed meanwhile.</summary>
    private (bool, string, long) SetStore(AgentCommand c)
    {
        var now = (Failed: agent.Store.Failed, agent.Store.SlowedWrites);
        var during = (now.Failed - _storeBaseline.Failed) + (now.SlowedWrites - _storeBaseline.Slowed);
        _storeBaseline = now;
        agent.Store.Outage = c.Outage;
        agent.Store.Latency = TimeSpan.FromMilliseconds(c.LatencyMs);
        return (true, $"store outage={(c.Outage ? "on" : "off")} latency={c.LatencyMs:0} ms; {during} write(s) or read(s) failed, or write(s) slowed, since the last change", during);
    }
}
