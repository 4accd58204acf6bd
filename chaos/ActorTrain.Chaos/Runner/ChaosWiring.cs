using ActorTrain.Actors.Settings;
using ActorTrain.Chaos.Agent;
using ActorTrain.Chaos.Faults;
using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Runner;

/// <summary>
/// The job file a chaos run starts: the scenario's job, its topology, and the injectors bound by configuration alone —
/// the agent as an Akka extension, the faulty mailbox as every actor's mailbox, the faulty journal and snapshot store as the SQL plugins' classes, and Akka's throttler
/// transport adapter for partitions. Production code is not told.
/// </summary>
public static class ChaosWiring
{
    private static string TypeName(Type t) => $"{t.FullName}, {t.Assembly.GetName().Name}";

    public static string JobFile(Scenario scenario, string controlDirectory)
    {
        string Line(string key, Type type) => $"{key} = {HoconText.Quote(TypeName(type))}";
        var lines = new List<string>
        {
            TopologyHocon(scenario),
            "# chaos: the injectors, bound by configuration only",
            $"{ChaosAgent.ControlDirectoryKey} = {HoconText.Quote(Path.GetFullPath(controlDirectory))}",
            "actortrain.run.progress-interval = 250ms",
            $"akka.extensions = [{HoconText.Quote(TypeName(typeof(ChaosAgentProvider)))}]",
            Line("akka.actor.default-mailbox.mailbox-type", typeof(FaultyMailbox)),
            Line("akka.actor.mailbox.unbounded-deque-based.mailbox-type", typeof(FaultyMailbox)),
            Line("akka.persistence.journal.sql.class", typeof(FaultyJournal)),
            Line("akka.persistence.snapshot-store.sql.class", typeof(FaultySnapshotStore)),
        };
        if (scenario.Topology.Processes) lines.Add("akka.remote.dot-netty.tcp.applied-adapters = [trttl]");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The scenario's job with its topology: what the fault-free reference run uses too (without the injectors).</summary>
    public static string TopologyHocon(Scenario scenario)
    {
        var t = scenario.Topology;
        var store = t.Store == "postgresql"
            ? $"actortrain.persistence.store = postgresql\nactortrain.persistence.connection-string = {HoconText.Quote(t.ConnectionString)}"
            : "actortrain.persistence.store = sqlite";
        return $$"""
                {{scenario.JobHocon}}
                # chaos: the scenario's topology
                actortrain.job.workers = {{t.Workers}}
                actortrain.cluster.ps-nodes = {{t.PsNodes}}
                actortrain.cluster.coordinator-nodes = {{1 + t.StandbyCoordinators}}
                # the runner restarts what it kills (a restart or kill-loop fault), nothing else does
                actortrain.cluster.restart-nodes = 0
                {{store}}
                """;
    }
}
