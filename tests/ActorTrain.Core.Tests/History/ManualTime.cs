namespace ActorTrain.Core.Tests.History;

/// <summary>A clock the test moves by hand, backwards too.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
