using ActorTrain.Torch.Models;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.model: which network to train, and its regularisation (dropout; batch normalisation for the cnn).</summary>
public sealed record ModelSettings(ModelKind Kind, IReadOnlyList<int> Hidden, double Dropout = 0, bool BatchNorm = false)
{
    public static ModelSettings Create(SettingsReader r)
    {
        var kind = r.Choice("kind", new Dictionary<string, ModelKind> { ["mlp"] = ModelKind.Mlp, ["cnn"] = ModelKind.Cnn });
        var batchNorm = r.Bool("batch-norm");
        if (batchNorm && kind != ModelKind.Cnn) throw r.Bad("batch-norm", "on", "off unless model.kind = cnn (the mlp has no batch normalisation)");
        return new ModelSettings(kind, r.IntList("hidden", 1), r.Double("dropout", 0, 0.9), batchNorm);
    }
}
