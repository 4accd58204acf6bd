namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.cluster: where this node listens and how others reach it. Everything binds to loopback unless
/// configured otherwise.
/// </summary>
public sealed record ClusterSettings(string Hostname, int Port, string PublicHostname, TimeSpan JoinTimeout, int PsNodes = 1)
{
    public static ClusterSettings Create(SettingsReader r) => new(
        r.String("hostname"),
        r.Int("port", 0, 65535),
        r.String("public-hostname"),
        r.Duration("join-timeout"),
        r.Int("ps-nodes", 1, 64));
}
