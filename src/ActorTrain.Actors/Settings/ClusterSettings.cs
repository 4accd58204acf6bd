namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.cluster: where this node listens, how others reach it, and whether the wire is TLS. Everything binds to
/// loopback unless configured otherwise.
/// </summary>
public sealed record ClusterSettings(string Hostname, int Port, string PublicHostname, TimeSpan JoinTimeout, TlsSettings Tls, int PsNodes = 1,
    FailureDetection FailureDetection = FailureDetection.Lan, int RestartNodes = 0, int CoordinatorNodes = 1)
{
    public static ClusterSettings Create(SettingsReader r) => new(
        r.String("hostname"),
        r.Int("port", 0, 65535),
        r.String("public-hostname"),
        r.Duration("join-timeout"),
        TlsSettings.Create(r.Section("tls")),
        r.Int("ps-nodes", 1, 64),
        r.Choice("failure-detection", FailureDetectionProfiles.Names),
        r.Int("restart-nodes", 0, 1000),
        r.Int("coordinator-nodes", 1, 16));
}
