using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Integration.Tests;

/// <summary>`actortrain.telemetry.prometheus.port`: a live multi-process run serves its metrics to a Prometheus scrape, per process.</summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-telemetry-").FullName;

    [Fact]
    public async Task A_live_run_serves_the_heads_and_each_workers_metrics_on_consecutive_ports()
    {
        var port = TwoFreePorts();
        var job = Path.Combine(_directory, "job.hocon");
        File.WriteAllText(job, """
            actortrain {
              job { name = telemetry, seed = 5, epochs = 40, workers = 1, shards = 2 }
              model { kind = mlp, hidden = [32] }
              data { task = synthetic, validation-size = 512, synthetic { train-size = 4096, test-size = 1024, features = 16, classes = 4, noise = 1.5 } }
              training { micro-batch-size = 32, batch-size = 128 }
              optimizer { kind = sgd, learning-rate = 0.05, momentum = 0.5 }
              evaluator { every-updates = 200 }
            }
            """);
        using var run = ActorTrainProcess.Start(_directory, "run", job, "--runs-dir", "runs", "--set", $"actortrain.telemetry.prometheus.port={port}");
        await run.WaitForOutput($"metrics: http://localhost:{port}/metrics", RunTimeout);
        await run.WaitForOutput("validation at update", RunTimeout);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var head = await Scrape(http, port, "actortrain_updates_total", run);
        var worker = await Scrape(http, port + 1, "actortrain_push_bytes_total", run);

        // The head: the coordinator's progress, its one worker, and the shards it hosts.
        Assert.True(Value(head, "actortrain_updates_total") > 0, head);
        Assert.Equal(1, Value(head, "actortrain_workers"));
        Assert.True(Value(head, "actortrain_push_staleness_count") > 0, head); // shards on the head record what they apply
        Assert.Contains("actortrain_recovery_duration_seconds_count", head);
        Assert.Contains("service_instance_id=\"head\"", head);
        // The worker process: what it pushed and pulled, and how long that took.
        Assert.True(Value(worker, "actortrain_push_bytes_total") > 0, worker);
        Assert.True(Value(worker, "actortrain_pull_bytes_total") > 0, worker);
        Assert.True(Value(worker, "actortrain_push_latency_seconds_count") > 0, worker);
        Assert.Contains("service_instance_id=\"worker-1\"", worker);
        Assert.Equal(0, Value(worker, "actortrain_updates_total")); // each process serves its own roles' measures: no coordinator here

        Assert.Equal(0, await run.ExitCode(RunTimeout));
    }

    /// <summary>
    /// The text of http://localhost:port/metrics once <paramref name="metric"/> is above 0 there (a process's meter reports
    /// after its first use, and the coordinator's first progress report can come before any commit: it once read 0).
    /// </summary>
    private static async Task<string> Scrape(HttpClient http, int port, string metric, ActorTrainProcess run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await http.GetStringAsync($"http://localhost:{port}/metrics");
                if (Value(last, metric) > 0) return last;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"no {metric} above 0 at http://localhost:{port}/metrics within 60 s; last answer:\n{last}\nthe run's output:\n{run.Output}");
    }

    /// <summary>The summed value of the samples of <paramref name="metric"/> (any labels).</summary>
    private static double Value(string scrape, string metric) =>
        Regex.Matches(scrape, $@"^{Regex.Escape(metric)}(\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A port whose next one is free too (the head's and its one worker's).</summary>
    private static int TwoFreePorts()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65535) continue;
            try
            {
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no two consecutive free ports on 127.0.0.1");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
