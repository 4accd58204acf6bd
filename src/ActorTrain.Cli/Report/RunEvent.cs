namespace ActorTrain.Cli.Report;

/// <summary>Something that happened in a run, marked on the report's time axes and listed under its plots.</summary>
/// <param name="Seconds">Seconds since the run's training began.</param>
/// <param name="Updates">The update count then, when the record says it.</param>
public sealed record RunEvent(double Seconds, long? Updates, EventKind Kind, string Label);
