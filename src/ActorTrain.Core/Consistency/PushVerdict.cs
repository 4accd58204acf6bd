namespace ActorTrain.Core.Consistency;

/// <summary>What a shard must do with a push, according to its dedup table.</summary>
public enum PushVerdict
{
    /// <summary>Never seen: apply it.</summary>
    Fresh,

    /// <summary>Applied before (a resend after a lost ack): ack again, do not apply.</summary>
    Duplicate,

    /// <summary>From an incarnation older than one already seen (the sender has been restarted) or fenced off by a rollback: drop it.</summary>
    StaleIncarnation,
}
