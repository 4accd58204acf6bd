namespace ActorTrain.Chaos.Faults;

/// <summary>The message faults in force in one process, consulted by every <see cref="FaultyMessageQueue"/>.</summary>
public sealed class MessageFaults
{
    private volatile MessageFaultRule[] _rules = [];
    private volatile MessageFaultRule[] _everAdded = [];

    public bool Any => _rules.Length > 0;

    public IReadOnlyList<MessageFaultRule> Rules => _rules;

    /// <summary>
    /// Every rule this process was given, removed ones too: what it counts at exit. An answer to a removal can be lost
    /// when the process ends just after it, and a rule missing here then would be reported as having hit nothing.
    /// </summary>
    public IReadOnlyList<MessageFaultRule> EverAdded => _everAdded;

    public void Add(MessageFaultRule rule)
    {
        lock (this)
        {
            _rules = [.. _rules, rule];
            _everAdded = [.. _everAdded, rule];
        }
    }

    public MessageFaultRule? Remove(int id)
    {
        lock (this)
        {
            var rule = _rules.FirstOrDefault(r => r.Id == id);
            _rules = [.. _rules.Where(r => r.Id != id)];
            return rule;
        }
    }

    /// <summary>The first rule that hits this message, or null.</summary>
    public MessageFaultRule? Hit(object message, string? senderAddress)
    {
        foreach (var rule in _rules)
            if (rule.Hits(message, senderAddress)) return rule;
        return null;
    }
}
