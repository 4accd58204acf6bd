using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// The fault-free reference of a scenario: its job and seed run once in one process, without injectors, and cached by the
/// job's text (which holds the seed), so scenarios and reruns of the same job share it.
/// </summary>
public static class ReferenceRuns
{
    public static async Task<ReferenceResult> GetAsync(Scenario scenario, ChaosOptions options, CancellationToken cancellation)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scenario.JobHocon)))[..16];
        Directory.CreateDirectory(options.CacheDirectory);
        var cached = Path.Combine(options.CacheDirectory, $"{key}.json");
        if (File.Exists(cached))
        {
            var hit = JsonSerializer.Deserialize<ReferenceResult>(await File.ReadAllTextAsync(cached, cancellation).ConfigureAwait(false))!;
            options.Output.WriteLine($"reference: cached fault-free run {hit.RunFolder} (test accuracy {hit.TestAccuracy:0.0000})");
            return hit;
        }
        var folder = Path.Combine(options.CacheDirectory, key);
        Directory.CreateDirectory(folder);
        var job = Path.Combine(folder, "job.hocon");
        await File.WriteAllTextAsync(job, scenario.JobHocon, cancellation).ConfigureAwait(false);
        options.Output.WriteLine("reference: running the job without faults, in one process, for invariants 4 and 6");
        var exit = await JobProcessRunner.RunToEndAsync(options, ["run", job, "--in-process", "--runs-dir", Path.Combine(folder, "runs")], folder, cancellation)
            .ConfigureAwait(false);
        var summary = Directory.GetDirectories(Path.Combine(folder, "runs")).Select(d => Path.Combine(d, "summary.json")).FirstOrDefault(File.Exists);
        if (exit != 0 || summary is null) throw new ScenarioException($"the fault-free reference run failed (exit code {exit}); see {folder}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summary, cancellation).ConfigureAwait(false));
        var result = new ReferenceResult(json.RootElement.GetProperty("test_accuracy").GetDouble(), json.RootElement.GetProperty("weights_sha256").GetString()!,
            Path.GetDirectoryName(summary)!);
        await File.WriteAllTextAsync(cached, JsonSerializer.Serialize(result), cancellation).ConfigureAwait(false);
        options.Output.WriteLine($"reference: test accuracy {result.TestAccuracy:0.0000}, weights {result.WeightsSha256[..12]}…");
        return result;
    }
}
