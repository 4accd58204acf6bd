namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.telemetry: where a process exports ActorTrain's OpenTelemetry metrics (<c>Telemetry.ActorTrainMetrics</c>).
/// <see cref="PrometheusPort"/> &gt; 0 serves a Prometheus scrape endpoint at http://localhost:port/metrics (the head; the
/// processes <c>run</c> starts take the ports after it, one each); a non-empty <see cref="OtlpEndpoint"/> pushes them over
/// OTLP. Both are off by default.
/// </summary>
public sealed record TelemetrySettings(int PrometheusPort, string OtlpEndpoint)
{
    public bool Any => PrometheusPort > 0 || OtlpEndpoint.Length > 0;

    public static TelemetrySettings Create(SettingsReader r)
    {
        var otlp = r.Section("otlp").String("endpoint");
        if (otlp.Length > 0 && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
            throw r.Section("otlp").Bad("endpoint", otlp, "an absolute URI such as http://localhost:4317, or \"\" for off");
        return new TelemetrySettings(r.Section("prometheus").Int("port", 0, 65535), otlp);
    }
}
