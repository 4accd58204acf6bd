namespace ActorTrain.Cli.Output;

/// <summary>How run and resume show a run: plain lines, the live terminal view (<see cref="LiveJobView"/>), or one JSON object per line.</summary>
public enum OutputStyle
{
    Plain,
    Live,
    Json,
}
