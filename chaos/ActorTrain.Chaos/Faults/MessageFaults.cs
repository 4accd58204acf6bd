namespace ActorTrain.Chaos.Faults;

/// <summary>The message faults in force in one process, consulted by every <see cref="FaultyMessageQueue"/>.</summary>
public sealed class MessageFaults
{
    private volatile MessageFaultRule[] _rules = [];

    public bool Any => _rules.Length > 0;

    public IReadOnlyList<MessageFaultRule> Rules => _rules;

    public void Add(MessageFaultRule rule)
    {
        lock (this) _rules = [.. _rules, rule];
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
