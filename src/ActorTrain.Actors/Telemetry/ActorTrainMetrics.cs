using System.Diagnostics.Metrics;
using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Telemetry;

/// <summary>
/// ActorTrain's OpenTelemetry meter (<see cref="System.Diagnostics.Metrics"/>): what each role measures while a job runs.
/// The roles only record; a process exports them when <c>actortrain.telemetry</c> says so (the CLI's
/// <c>TelemetryExport</c>: a Prometheus scrape endpoint, OTLP). With no exporter listening, recording costs next to nothing.
/// <list type="bullet">
/// <item>head (coordinator, observer): updates, micro-batches, samples/s, training loss, re-issued micro-batches, live workers;</item>
/// <item>parameter shards: staleness of applied pushes, snapshot duration and failures, recovery time;</item>
/// <item>workers: push and pull bytes and latency.</item>
/// </list>
/// </summary>
public static class ActorTrainMetrics
{
    public const string MeterName = "ActorTrain";

    private static readonly Meter Meter = new(MeterName, typeof(ActorTrainMetrics).Assembly.GetName().Version?.ToString());
    private static JobProgressed? _progress;
    private static int _liveWorkers;

    // Bucket boundaries for what these measure (OpenTelemetry's default ones, 0 to 10,000, suit milliseconds).
    private static readonly InstrumentAdvice<double> Seconds = new()
        { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] };

    private static readonly InstrumentAdvice<long> Updates = new() { HistogramBucketBoundaries = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256] };

    public static readonly Histogram<long> Staleness = Meter.CreateHistogram("actortrain.push.staleness", "{update}",
        "updates a push's gradient missed when its shard applied it", tags: null, advice: Updates);

    public static readonly Counter<long> PushBytes = Meter.CreateCounter<long>("actortrain.push.bytes", "By", "gradient payload bytes workers pushed");
    public static readonly Counter<long> PullBytes = Meter.CreateCounter<long>("actortrain.pull.bytes", "By", "weight payload bytes workers pulled");
    public static readonly Histogram<double> PushLatency = Meter.CreateHistogram("actortrain.push.latency", "s",
        "from a push's send to its shard's ack", tags: null, advice: Seconds);
    public static readonly Histogram<double> PullLatency = Meter.CreateHistogram("actortrain.pull.latency", "s",
        "from a pull's start to all its shards' weights", tags: null, advice: Seconds);

    public static readonly Histogram<double> SnapshotDuration = Meter.CreateHistogram("actortrain.snapshot.duration", "s",
        "from a shard's snapshot capture to its store's confirmation", tags: null, advice: Seconds);

    public static readonly Counter<long> SnapshotFailures = Meter.CreateCounter<long>("actortrain.snapshot.failures", "{snapshot}", "shard snapshot writes that failed");

    public static readonly Histogram<double> RecoveryDuration = Meter.CreateHistogram("actortrain.recovery.duration", "s",
        "from a shard's or coordinator's start to the end of its recovery from the store", tags: null, advice: Seconds);

    static ActorTrainMetrics()
    {
        Meter.CreateObservableCounter("actortrain.updates", () => _progress?.Updates ?? 0, "{update}", "updates applied (BSP steps, local rounds, ASP pushes)");
        Meter.CreateObservableCounter("actortrain.micro_batches", () => _progress?.CompletedMicroBatches ?? 0, "{micro-batch}", "micro-batches committed");
        Meter.CreateObservableCounter("actortrain.micro_batches.reissued", () => _progress?.ReissuedMicroBatches ?? 0, "{micro-batch}",
            "micro-batches handed out again after their worker was lost");
        Meter.CreateObservableGauge("actortrain.samples_per_second", () => _progress?.SamplesPerSecond ?? 0, "{sample}/s", "training throughput");
        Meter.CreateObservableGauge("actortrain.loss", () => _progress is { MeanLoss: var loss } && double.IsFinite(loss) ? loss : 0, "1",
            "mean training loss over the last progress interval");
        Meter.CreateObservableGauge("actortrain.epoch", () => _progress?.Epoch ?? 0, "{epoch}", "the epoch training is in");
        Meter.CreateObservableGauge("actortrain.workers", () => Volatile.Read(ref _liveWorkers), "{worker}", "workers the coordinator serves");
    }

    /// <summary>The head's observer: the job's latest progress (read by the observable instruments when they are collected).</summary>
    public static void Progressed(JobProgressed progress) => Volatile.Write(ref _progress, progress);

    /// <summary>The coordinator: how many workers it serves now.</summary>
    public static void LiveWorkers(int count) => Volatile.Write(ref _liveWorkers, count);
}
