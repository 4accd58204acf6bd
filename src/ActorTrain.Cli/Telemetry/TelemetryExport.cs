using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ActorTrain.Cli.Telemetry;

/// <summary>
/// Exports this process's ActorTrain metrics (<see cref="ActorTrainMetrics"/>) as <c>actortrain.telemetry</c> says: a
/// Prometheus scrape endpoint (OpenTelemetry's HttpListener exporter) and OTLP. Started by each command that runs a
/// role (<c>run</c>, <c>resume</c>, <c>node</c>) and disposed when it ends; nothing when telemetry is off.
/// </summary>
public static class TelemetryExport
{
    /// <param name="process">What this process is, for the <c>service.instance.id</c> resource attribute: head, worker-2, ps-1, ….</param>
    /// <param name="portOffset">Added to the configured Prometheus port (the processes <c>run</c> starts take the ports after the head's).</param>
    public static IDisposable? Start(TelemetrySettings settings, string process, int portOffset = 0)
    {
        if (!settings.Any) return null;
        var builder = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("actortrain", serviceInstanceId: process))
            .AddMeter(ActorTrainMetrics.MeterName);
        if (settings.PrometheusPort > 0)
        {
            var port = settings.PrometheusPort + portOffset;
            builder.AddPrometheusHttpListener(o =>
            {
                o.Host = "localhost";
                o.Port = port;
            });
        }
        if (settings.OtlpEndpoint.Length > 0) builder.AddOtlpExporter(o => o.Endpoint = new Uri(settings.OtlpEndpoint));
        return builder.Build();
    }

    /// <summary>The Prometheus port of the process <c>run</c> starts <paramref name="index"/>-th (1-based), when telemetry is on.</summary>
    public static string[] ChildArguments(TelemetrySettings settings, int index) =>
        settings.PrometheusPort > 0
            ? ["--set", $"actortrain.telemetry.prometheus.port={settings.PrometheusPort + index}"]
            : [];
}
