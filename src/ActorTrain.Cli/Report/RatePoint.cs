namespace ActorTrain.Cli.Report;

/// <summary>The learning rate in force from <paramref name="Updates"/> on.</summary>
public sealed record RatePoint(long Updates, double Rate);
