using ActorTrain.Torch.Codecs;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.wire: how tensor payloads are encoded.</summary>
public sealed record WireSettings(PayloadEncoding Encoding)
{
    public static WireSettings Create(SettingsReader r) => new(
        r.Choice("encoding", new Dictionary<string, PayloadEncoding> { ["f32"] = PayloadEncoding.F32, ["bf16"] = PayloadEncoding.Bf16, ["f16"] = PayloadEncoding.F16 }));
}
