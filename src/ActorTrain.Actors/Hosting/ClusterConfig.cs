using ActorTrain.Actors.Settings;
using Akka.Cluster.Sharding;
using Akka.Configuration;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The Akka configuration of one cluster node of a job: remoting on the configured address, its roles, its seed.
/// Systems are created from it by <see cref="ClusterTransport.Create"/>, which adds TLS when it is on.
/// </summary>
public static class ClusterConfig
{
    public const string SystemName = "actortrain";

    public static string Address(string host, int port, TlsSettings tls, Config config) => $"{ClusterTransport.Scheme(tls, config)}://{SystemName}@{host}:{port}";

    /// <summary>
    /// A process that talks to a job's nodes over Akka.Remote without joining the cluster (ctl, benches); create its
    /// system with <see cref="ClusterTransport.Create"/> and the job's TLS settings to reach a TLS cluster.
    /// </summary>
    public static Config RemoteOnly(string hostname = "127.0.0.1") =>
        ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "{{hostname}}", port = 0 }
            """).WithFallback(JobConfig.Reference);

    public static Config For(Config job, ClusterSettings cluster, int port, IEnumerable<string> roles, string seed)
    {
        var publicHost = string.IsNullOrWhiteSpace(cluster.PublicHostname) ? cluster.Hostname : cluster.PublicHostname;
        var node = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "{{cluster.Hostname}}"
            akka.remote.dot-netty.tcp.public-hostname = "{{publicHost}}"
            akka.remote.dot-netty.tcp.port = {{port}}
            akka.cluster.roles = [{{string.Join(", ", roles.Select(r => $"\"{r}\""))}}]
            akka.cluster.seed-nodes = ["{{seed}}"]
            """);
        // Sharding's defaults register the distributed-data serializers from the start: the sharding coordinator keeps
        // its state in distributed data (reference.conf), and a ps node may hear from the head's replicator before its
        // own shard region exists.
        return node.WithFallback(job).WithFallback(FailureDetectionProfiles.Config(cluster.FailureDetection))
            .WithFallback(ClusterSharding.DefaultConfig());
    }
}
