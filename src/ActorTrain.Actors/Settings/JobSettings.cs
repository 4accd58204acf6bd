using ActorTrain.Core.Consistency;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.job: what to run and at what scale.</summary>
public sealed record JobSettings(string Name, ulong Seed, int Epochs, ConsistencyMode Mode, int Workers, int Shards, int Staleness, int InnerSteps)
{
    public static JobSettings Create(SettingsReader r) => new(
        r.String("name"),
        r.ULong("seed"),
        r.Int("epochs", 1, 100_000),
        r.Choice("mode", ConsistencyModes.ByName),
        r.Int("workers", 1, 1024),
        r.Int("shards", 1, 4096),
        r.Int("staleness", 0, 1_000_000),
        r.Int("inner-steps", 1, 1_000_000));

    /// <summary>The mode as users write it: asp, bsp, ssp:s, local-sgd:H or diloco:H.</summary>
    public string ModeName => ConsistencyModes.Describe(Mode, Staleness, InnerSteps);
}
