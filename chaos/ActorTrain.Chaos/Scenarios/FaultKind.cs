namespace ActorTrain.Chaos.Scenarios;

/// <summary>What a fault does; each is injected at a seam the OS or the job's configuration gives, never in production code.</summary>
public enum FaultKind
{
    /// <summary>SIGKILL a process.</summary>
    KillProcess,

    /// <summary>Start a node that is gone (killed, or downed and exited) again: a new incarnation of the same name.</summary>
    Restart,

    /// <summary>SIGSTOP a process for a duration, then SIGCONT: a frozen node or a long GC pause.</summary>
    PauseProcess,

    /// <summary>A SIGSTOP/SIGCONT duty cycle for a duration: the process runs at 1/factor of its speed (a straggler).</summary>
    SlowProcess,

    /// <summary>Akka's Kill sent to an actor by path: a shard, a worker actor, the coordinator, the evaluator.</summary>
    CrashActor,

    /// <summary>Blackhole all traffic between two sets of nodes for a duration (Akka's throttler transport), then heal.</summary>
    Partition,

    /// <summary>A partition of one node from all the others.</summary>
    Isolate,

    /// <summary>Drop messages of a type (or all traffic between two nodes) with a probability.</summary>
    Drop,

    /// <summary>Deliver messages twice.</summary>
    Duplicate,

    /// <summary>Deliver messages late: a fixed delay, or a random one up to a bound.</summary>
    Delay,

    /// <summary>Deliver a message after the next one to the same actor.</summary>
    Reorder,

    /// <summary>Flip payload bytes on the way in (through the serializer, whose checksum must catch it).</summary>
    Corrupt,

    /// <summary>Journal and snapshot writes fail for a duration.</summary>
    StoreOutage,

    /// <summary>Journal and snapshot writes take longer for a duration.</summary>
    StoreSlow,

    /// <summary>Damage the newest stored snapshot of a shard.</summary>
    CorruptSnapshot,

    /// <summary>Kill random victims (workers, optionally ps nodes) with a mean time between failures, restarting each.</summary>
    KillLoop,
}
