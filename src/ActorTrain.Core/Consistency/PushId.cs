namespace ActorTrain.Core.Consistency;

/// <summary>
/// Identifies one push: the worker, the incarnation of that worker (raised on every restart), and a
/// sequence number that the incarnation raises by one per push, starting at 1.
/// </summary>
public readonly record struct PushId(string WorkerId, long Incarnation, long Seq)
{
    public override string ToString() => $"{WorkerId}#{Incarnation}/{Seq}";
}
