using ActorTrain.Actors.Settings;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Where every ActorSystem that talks over Akka.Remote is created (cluster nodes, ctl, benches), so that TLS is on
/// for all of them or for none: with <see cref="TlsSettings.Enabled"/> the DotNetty transport runs mutual TLS with this
/// node's certificate and admits only peers the cluster's CA signed (see <see cref="TlsCredentials"/>).
/// </summary>
public static class ClusterTransport
{
    /// <summary>
    /// Akka names the transport ssl.tcp when TLS is on, so addresses read akka.ssl.tcp://… instead of akka.tcp://…; each
    /// transport adapter in <c>akka.remote.dot-netty.tcp.applied-adapters</c> puts its name in front (the throttler's
    /// trttl: akka.trttl.tcp://…), the last applied outermost.
    /// </summary>
    public static string Scheme(TlsSettings tls, Config config)
    {
        var adapters = config.GetStringList("akka.remote.dot-netty.tcp.applied-adapters", []).Reverse();
        return string.Join(".", ["akka", .. adapters, tls.Enabled ? "ssl.tcp" : "tcp"]);
    }

    public static ActorSystem Create(Config config, TlsSettings tls)
    {
        var remoting = ConfigurationFactory.ParseString($"akka.remote.dot-netty.tcp.enable-ssl = {(tls.Enabled ? "on" : "off")}");
        var bootstrap = BootstrapSetup.Create().WithConfig(remoting.WithFallback(config));
        if (!tls.Enabled) return ActorSystem.Create(ClusterConfig.SystemName, bootstrap);

        var credentials = TlsCredentials.Load(tls);
        try
        {
            var system = ActorSystem.Create(ClusterConfig.SystemName, ActorSystemSetup.Create(bootstrap, credentials.Setup()));
            system.RegisterOnTermination(credentials.Dispose);
            return system;
        }
        catch
        {
            credentials.Dispose();
            throw;
        }
    }
}
