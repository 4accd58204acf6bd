using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → <c>actortrain ctl</c>: what became of a <see cref="ControlRun"/>, in words. More may follow until one is
/// <see cref="Done"/>; <see cref="ExitCode"/> is the command's (0 done, 1 not possible now, 2 refused as asked).
/// </summary>
[MessagePackObject]
public sealed record ControlAnswered([property: Key(0)] string Text, [property: Key(1)] bool Done = true, [property: Key(2)] int ExitCode = 0) : IWireMessage;
