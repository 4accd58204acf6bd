using ActorTrain.Actors.Settings;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// Reads a scenario file: a job file (its <c>actortrain</c> and <c>akka</c> sections, includes resolved) plus a
/// <c>chaos</c> section with the seed, topology, faults and expectations. Unknown keys and bad values are refused with
/// the key, the value and what was expected, as job configs are.
/// </summary>
public static class ScenarioReader
{
    public const string Section = "chaos";

    public static Scenario FromFile(string path)
    {
        Config file;
        try
        {
            file = HoconFile.Read(path);
        }
        catch (SettingsException e)
        {
            throw new ScenarioException(e.Message);
        }
        return FromConfig(file, path, Path.GetFileNameWithoutExtension(path)) with { SourcePath = Path.GetFullPath(path) };
    }

    public static Scenario FromText(string hocon, string name) => FromConfig(ConfigurationFactory.ParseString(hocon), name, name);

    private static Scenario FromConfig(Config file, string source, string defaultName)
    {
        if (!file.HasPath(Section)) throw new ScenarioException($"{source} has no {Section} {{ … }} section: it is a job file, not a scenario.");
        var chaos = ScenarioSection.Of(file.GetValue(Section), Section, source);
        var name = chaos.String("name", defaultName);
        var seed = chaos.Long("seed", 1);
        var topology = ReadTopology(chaos.Section("topology"));
        var faults = chaos.Array("faults").Select((f, i) => FaultReader.Read(ScenarioSection.Of(f, $"{Section}.faults[{i}]", source), topology)).ToList();
        var expect = ReadExpectations(chaos.Section("expect"), source);
        chaos.RefuseUnknown();

        var jobHocon = $"{WithoutChaos(file).Root}\nactortrain.job.workers = {topology.Workers}\n";
        try
        {
            ActorTrainSettings.Create(JobConfig.FromText(jobHocon));
        }
        catch (SettingsException e)
        {
            throw new ScenarioException($"{source}: its job is not valid: {e.Message}");
        }
        return new Scenario(name, seed, topology, jobHocon, faults, expect);
    }

    private static Config WithoutChaos(Config file)
    {
        var root = new HoconObject();
        foreach (var (key, value) in file.Root.GetObject().Items)
            if (key != Section) root.Items[key] = value;
        return ScenarioSection.AsConfig(root);
    }

    private static Topology ReadTopology(ScenarioSection? t)
    {
        var d = Topology.Default;
        if (t is null) return d;
        var store = t.String("store", d.Store);
        if (store is not ("sqlite" or "postgresql")) throw t.Bad("store", store, "sqlite or postgresql");
        var topology = new Topology(t.Bool("processes", d.Processes), t.Int("workers", d.Workers, 1), t.Int("ps-nodes", d.PsNodes, 1),
            t.Int("standby-coordinators", d.StandbyCoordinators, 0), store, t.String("connection-string", d.ConnectionString));
        t.RefuseUnknown();
        if (!topology.Processes && (topology.PsNodes > 1 || topology.StandbyCoordinators > 0))
            throw t.Bad("processes", "off", "on: ps-nodes above 1 and standby coordinators need processes of their own");
        if (store == "postgresql" && topology.ConnectionString.Length == 0)
            throw t.Bad("connection-string", "\"\"", "a PostgreSQL connection string with store = postgresql");
        return topology;
    }

    private static Expectations ReadExpectations(ScenarioSection? e, string source)
    {
        if (e is null) return new Expectations([1, 2, 3, 5], 0.05, TimeSpan.FromMinutes(10));
        var invariants = e.Strings("invariants").Select(s => int.TryParse(s, out var n) && n is >= 1 and <= 6 ? n : throw e.Bad("invariants", s, "numbers from 1 to 6 (DESIGN.md's invariants)")).ToList();
        var expect = new Expectations(invariants.Count > 0 ? invariants : [1, 2, 3, 5], e.Double("accuracy-tolerance", 0.05, 0, 1),
            e.Duration("time-bound", TimeSpan.FromMinutes(10)));
        e.RefuseUnknown();
        if (expect.TimeBound <= TimeSpan.Zero) throw new ScenarioException($"{source}: chaos.expect.time-bound must be above 0");
        return expect;
    }
}
