using ActorTrain.Core.Consistency;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.job: what to run and at what scale.</summary>
public sealed record JobSettings(string Name, ulong Seed, int Epochs, ConsistencyMode Mode, int Workers, int Shards)
{
    public static readonly IReadOnlyDictionary<string, ConsistencyMode> Modes =
        new Dictionary<string, ConsistencyMode> { ["asp"] = ConsistencyMode.Asp, ["bsp"] = ConsistencyMode.Bsp };

    public static JobSettings Create(SettingsReader r) => new(
        r.String("name"),
        r.ULong("seed"),
        r.Int("epochs", 1, 100_000),
        r.Choice("mode", Modes),
        r.Int("workers", 1, 1024),
        r.Int("shards", 1, 4096));
}
