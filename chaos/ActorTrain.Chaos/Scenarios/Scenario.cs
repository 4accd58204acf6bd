namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// A chaos scenario: a job (the file's <c>actortrain</c> and <c>akka</c> sections, usually an include of a hocon/ job plus
/// overrides), its topology, the faults to inject and what must hold. <see cref="Seed"/> fixes the fault schedule.
/// </summary>
/// <param name="JobHocon">The job's own keys (includes resolved, without reference.conf's defaults), as HOCON.</param>
public sealed record Scenario(string Name, long Seed, Topology Topology, string JobHocon, IReadOnlyList<FaultSpec> Faults, Expectations Expect)
{
    /// <summary>Where the scenario was read from (relative paths in it are taken from there); empty for generated ones.</summary>
    public string SourcePath { get; init; } = "";
}
