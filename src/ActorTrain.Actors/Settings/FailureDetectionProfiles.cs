using Akka.Configuration;

namespace ActorTrain.Actors.Settings;

/// <summary>The Akka keys of each <see cref="FailureDetection"/> profile.</summary>
public static class FailureDetectionProfiles
{
    public static readonly IReadOnlyDictionary<string, FailureDetection> Names =
        new Dictionary<string, FailureDetection> { ["lan"] = FailureDetection.Lan, ["long-run"] = FailureDetection.LongRun };

    public static Config Config(FailureDetection profile)
    {
        var (pause, stable) = profile == FailureDetection.Lan ? ("3s", "5s") : ("20s", "30s");
        return ConfigurationFactory.ParseString($$"""
            akka.cluster.failure-detector {
              heartbeat-interval = 1s
              acceptable-heartbeat-pause = {{pause}}
              threshold = 8.0
            }
            akka.cluster.split-brain-resolver.stable-after = {{stable}}
            """);
    }
}
