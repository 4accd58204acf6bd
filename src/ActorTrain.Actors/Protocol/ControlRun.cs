using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// <c>actortrain ctl</c> → coordinator: one verb (<see cref="Verbs"/>) with its number (<c>set-lr</c>'s rate,
/// <c>scale-lr</c>'s factor; 0 otherwise). Replies: one or more <see cref="ControlAnswered"/>, the last with Done.
/// </summary>
[MessagePackObject]
public sealed record ControlRun([property: Key(0)] string Verb, [property: Key(1)] double Value = 0) : IWireMessage
{
    public static readonly IReadOnlyList<string> Verbs = ["status", "set-lr", "scale-lr", "checkpoint", "pause", "continue", "stop"];
}
