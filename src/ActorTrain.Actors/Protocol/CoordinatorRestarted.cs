using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → each worker its journal names, once a coordinator created again (after a crash, a failed journal
/// write, a failover to a standby) has replayed the journal, at update <see cref="Updates"/>. What the worker told the
/// instance before may never have been written, so it sends its unanswered work request and completions again at once,
/// instead of after its 5 s resend: a stall of 5-10 s after each coordinator restart before (found by the soak). No reply.
/// </summary>
[MessagePackObject]
public sealed record CoordinatorRestarted([property: Key(0)] long Updates) : IWireMessage;
