using ActorTrain.Actors.Hosting;
using Akka.Configuration;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// How <c>bench wire</c> runs: the payload size of one message, how many messages are in flight, how many payload
/// bytes one measurement moves, how many rounds, and Akka settings laid over reference.conf in both processes (for
/// trying transport settings without editing reference.conf).
/// </summary>
public sealed record DataPlaneOptions(int PayloadBytes, int Window, long BytesPerMeasurement, int Rounds, IReadOnlyList<string> AkkaOverrides)
{
    public static DataPlaneOptions Default { get; } = new(1 << 20, 8, 512L << 20, 3, []);

    public int MessagesPerMeasurement => (int)Math.Max(1, BytesPerMeasurement / PayloadBytes);

    /// <summary>The remote-only Akka configuration both ends of the bench use.</summary>
    public Config RemoteConfig() =>
        AkkaOverrides.Aggregate(Config.Empty, (config, line) => ConfigurationFactory.ParseString(line).WithFallback(config)) // a later --set wins
            .WithFallback(ClusterConfig.RemoteOnly());

    /// <summary>The arguments that give the sink process the same Akka overrides.</summary>
    public IEnumerable<string> SinkArguments() => AkkaOverrides.SelectMany(line => new[] { "--set", line });
}
