namespace ActorTrain.Cli.Report;

/// <summary>One plot of the report: its PNG file name, its caption and the image.</summary>
public sealed record Chart(string FileName, string Title, byte[] Png);
