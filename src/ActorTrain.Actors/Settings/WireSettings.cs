using ActorTrain.Torch.Codecs;
using Akka.Actor;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.wire: how tensor payloads are encoded, and how a message too large for one Akka.Remote frame is cut
/// into chunks (<see cref="ChunkSize"/> bytes at most) and put back together (bounded by
/// <see cref="ReassemblyTimeout"/> and <see cref="MaxReassemblies"/>); and how long a worker waits for an answer before it
/// sends again (<see cref="ResendAfter"/>).
/// </summary>
public sealed record WireSettings(PayloadEncoding Encoding, int ChunkSize, TimeSpan ReassemblyTimeout, int MaxReassemblies, TimeSpan ResendAfter)
{
    public const int MinChunkSize = 1024;
    public const int MaxChunkSize = 1 << 30;

    public static WireSettings Create(SettingsReader r) => new(
        r.Choice("encoding", new Dictionary<string, PayloadEncoding> { ["f32"] = PayloadEncoding.F32, ["bf16"] = PayloadEncoding.Bf16, ["f16"] = PayloadEncoding.F16 }),
        (int)r.ByteSize("chunk-size", MinChunkSize, MaxChunkSize),
        r.Duration("reassembly-timeout"),
        r.Int("max-reassemblies", 1, 1_000_000),
        r.Duration("resend-after"));

    /// <summary>The wire settings of the job <paramref name="system"/> runs (its config over reference.conf): what its actors send and accept.</summary>
    public static WireSettings Of(ActorSystem system) =>
        Create(new SettingsReader(system.Settings.Config.WithFallback(JobConfig.Reference), $"{ActorTrainSettings.Root}.wire"));
}
