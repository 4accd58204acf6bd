using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using Akka.Actor;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// BSP: pushes computed on weights other than their step's (<see cref="PushGradients.OffStep"/>), held back from the
/// step's slot. The first computation of the same micro-batch, which its worker keeps in its upstream backup until a
/// snapshot of this shard covers it, is on its way (a resend or a replay), and only it gives the bitwise result of a run
/// without faults. A held push is acked as superseded once its step is applied; if its slot is still empty after
/// <paramref name="wait"/> (the first holder and its backup are gone too), it fills the slot after all.
/// </summary>
internal sealed class OffStepPushes(TimeSpan wait)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly List<Held> _held = [];

    public sealed record Held(IActorRef From, PushGradients Push, PushId Id, DateTime Since);

    public TimeSpan Wait => wait;

    /// <summary>Holds a push (a resend of one held already is dropped: the first is answered).</summary>
    public void Hold(IActorRef from, PushGradients push, PushId id)
    {
        if (_held.All(h => h.Id != id)) _held.Add(new Held(from, push, id, DateTime.UtcNow));
    }

    /// <summary>A rollback: what is held was computed on the diverged weights.</summary>
    public void Clear() => _held.Clear();

    /// <summary>Takes out those whose step is applied (below <paramref name="version"/>).</summary>
    public IReadOnlyList<Held> TakeApplied(long version) => Take(h => h.Push.Step < version);

    /// <summary>Takes out those held for <c>wait</c> or longer.</summary>
    public IReadOnlyList<Held> TakeOverdue(DateTime now) => Take(h => now - h.Since >= wait);

    private List<Held> Take(Func<Held, bool> which)
    {
        if (_held.Count == 0) return [];
        var taken = _held.Where(which).ToList();
        foreach (var h in taken) _held.Remove(h);
        return taken;
    }
}
