using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ActorTrain.Torch.Models;

/// <summary>Builds the models a job can train. Modules are named, so parameter order and names are stable.</summary>
public static class ModelFactory
{
    /// <param name="dropout">Where dropout layers draw their masks; a model built without one draws from a source seeded 0 (evaluation never draws).</param>
    public static Module<Tensor, Tensor> Create(ModelSpec spec, DropoutSource? dropout = null) => spec.Kind switch
    {
        ModelKind.Mlp => Mlp(spec, dropout ?? new DropoutSource(0)),
        ModelKind.Cnn => Cnn(spec, dropout ?? new DropoutSource(0)),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown model kind"),
    };

    private static Module<Tensor, Tensor> Mlp(ModelSpec spec, DropoutSource dropout)
    {
        if (spec.BatchNorm) throw new ArgumentException("batch normalisation is for the cnn model only");
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("flatten", Flatten()) };
        var width = spec.InputFeatures;
        for (var i = 0; i < spec.Hidden.Count; i++)
        {
            layers.Add(($"fc{i + 1}", Linear(width, spec.Hidden[i])));
            layers.Add(($"relu{i + 1}", ReLU()));
            if (spec.Dropout > 0) layers.Add(($"dropout{i + 1}", new SeededDropout(spec.Dropout, dropout)));
            width = spec.Hidden[i];
        }
        layers.Add(("out", Linear(width, spec.Classes)));
        return Sequential(layers);
    }

    /// <summary>
    /// Batch normalisation uses each batch's own statistics in training and evaluation alike (no running statistics):
    /// running means are not parameters the shards hold, so an evaluator could not have them.
    /// </summary>
    private static Module<Tensor, Tensor> Cnn(ModelSpec spec, DropoutSource dropout)
    {
        if (spec.InputShape.Count != 3)
            throw new ArgumentException($"the cnn model needs image inputs [channels, height, width], not [{string.Join(",", spec.InputShape)}]");
        int channels = spec.InputShape[0], height = spec.InputShape[1], width = spec.InputShape[2];
        var flat = 32 * (height / 4) * (width / 4);
        var hidden = spec.Hidden.Count > 0 ? spec.Hidden[0] : 128;
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("conv1", Conv2d(channels, 16, 5, padding: 2)) };
        if (spec.BatchNorm) layers.Add(("bn1", BatchNorm2d(16, track_running_stats: false)));
        layers.AddRange([("relu1", ReLU()), ("pool1", MaxPool2d(2)), ("conv2", Conv2d(16, 32, 5, padding: 2))]);
        if (spec.BatchNorm) layers.Add(("bn2", BatchNorm2d(32, track_running_stats: false)));
        layers.AddRange([("relu2", ReLU()), ("pool2", MaxPool2d(2)), ("flatten", Flatten())]);
        if (spec.Dropout > 0) layers.Add(("dropout1", new SeededDropout(spec.Dropout, dropout)));
        layers.AddRange([("fc1", Linear(flat, hidden)), ("relu3", ReLU())]);
        if (spec.Dropout > 0) layers.Add(("dropout2", new SeededDropout(spec.Dropout, dropout)));
        layers.Add(("out", Linear(hidden, spec.Classes)));
        return Sequential(layers);
    }
}
