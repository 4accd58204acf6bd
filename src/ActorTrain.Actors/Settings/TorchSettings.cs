namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.torch: intra-op threads of each training thread (0: one per core).</summary>
public sealed record TorchSettings(int Threads)
{
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    public static TorchSettings Create(SettingsReader r) => new(r.Int("threads", 0, 1024));
}
