using System.Globalization;
using System.Text.Json.Nodes;
using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// A chaos run's verdicts: the job completed, each declared fault fired, each expected invariant holds (1, 2, 3 and 5 as
/// the run's own history check found them; 4 and 6 against the fault-free reference), and the time bound.
/// </summary>
public static class ChaosVerdicts
{
    public static IReadOnlyList<Verdict> Judge(Scenario scenario, JsonObject? summary, ReferenceResult? reference, IReadOnlyList<Injection> injections,
        double wallSeconds, bool timedOut)
    {
        var verdicts = new List<Verdict>
        {
            summary is null
                ? new Verdict("the job completed", false, timedOut ? "stopped at the time bound; no summary.json" : "it ended without writing summary.json")
                : new Verdict("the job completed", true, $"{summary["updates"]} updates, test accuracy {Number(summary, "test_accuracy"):0.0000}"),
        };
        for (var i = 0; i < scenario.Faults.Count; i++)
        {
            var steps = injections.Where(x => x.Fault.Fault == i).ToList();
            var fired = steps.Where(x => x.Fired).ToList();
            var spec = scenario.Faults[i];
            var label = $"fault #{i} {spec.Name}{(spec.Target.Length > 0 ? " " + spec.Target : "")} at {spec.At} fired";
            verdicts.Add(fired.Count == 0 || (spec.Kind == Scenarios.FaultKind.KillLoop && fired.All(f => f.Fault.Kind != FaultKind.KillProcess))
                ? new Verdict(label, false, steps.Select(s => s.NotFired ?? s.Detail).FirstOrDefault(d => d.Length > 0) ?? "its trigger was never reached")
                : new Verdict(label, true, string.Join("; ", fired.Take(3).Select(f => $"at {f.FiredAt:0.0} s, update {f.FiredAtUpdate}: {f.Detail}")) +
                                           (fired.Count > 3 ? $"; … {fired.Count} injections in all" : "")));
        }
        foreach (var n in scenario.Expect.Invariants.Order()) verdicts.Add(Invariant(n, summary, reference, scenario.Expect));
        var bound = scenario.Expect.TimeBound.TotalSeconds;
        verdicts.Add(new Verdict($"within the time bound ({bound:0} s)", !timedOut && wallSeconds <= bound, $"{wallSeconds:0.0} s"));
        return verdicts;
    }

    private static Verdict Invariant(int n, JsonObject? summary, ReferenceResult? reference, Expectations expect)
    {
        var label = $"invariant {n}";
        if (summary is null) return new Verdict(label, false, "no summary.json to check");
        switch (n)
        {
            case 4:
                var hash = (string?)summary["weights_sha256"] ?? "";
                return new Verdict("invariant 4 (BSP weights equal the fault-free run's)", hash == reference!.WeightsSha256,
                    hash == reference.WeightsSha256 ? $"both {hash[..12]}…" : $"{Short(hash)} against the reference's {Short(reference.WeightsSha256)}");
            case 6:
                var accuracy = Number(summary, "test_accuracy");
                var floor = reference!.TestAccuracy - expect.AccuracyTolerance;
                return new Verdict($"invariant 6 (test accuracy within {expect.AccuracyTolerance:0.###} of the fault-free run's)", accuracy >= floor,
                    $"{accuracy:0.0000} against {reference.TestAccuracy:0.0000} (at least {floor:0.0000})");
        }
        var verdict = (summary["invariants"] as JsonArray)?.FirstOrDefault(v => (int)v!["number"]! == n);
        if (verdict is null) return new Verdict(label, false, "the run recorded no verdict (is run.history off?)");
        var name = $"invariant {n} ({verdict["name"]})";
        var state = (string)verdict["verdict"]!;
        var detail = (string)verdict["detail"]!;
        // SSP's bound is vacuous in a run that never used SSP: that is not a failure of the expectation.
        return state switch
        {
            "holds" => new Verdict(name, true, detail),
            "not checked" when n == 3 => new Verdict(name, true, $"not applicable: {detail}"),
            "not checked" => new Verdict(name, false, $"not checked: {detail}"),
            _ => new Verdict(name, false, detail),
        };
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash == "" ? "(none)" : hash;

    private static double Number(JsonObject summary, string key) => double.Parse(summary[key]!.ToString(), CultureInfo.InvariantCulture);
}
