using ActorTrain.Torch.Models;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.model: which network to train.</summary>
public sealed record ModelSettings(ModelKind Kind, IReadOnlyList<int> Hidden)
{
    public static ModelSettings Create(SettingsReader r) => new(
        r.Choice("kind", new Dictionary<string, ModelKind> { ["mlp"] = ModelKind.Mlp, ["cnn"] = ModelKind.Cnn }),
        r.IntList("hidden", 1));
}
