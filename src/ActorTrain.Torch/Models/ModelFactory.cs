using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ActorTrain.Torch.Models;

/// <summary>Builds the models a job can train. Modules are named, so parameter order and names are stable.</summary>
public static class ModelFactory
{
    public static Module<Tensor, Tensor> Create(ModelSpec spec) => spec.Kind switch
    {
        ModelKind.Mlp => Mlp(spec),
        ModelKind.Cnn => Cnn(spec),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown model kind"),
    };

    private static Module<Tensor, Tensor> Mlp(ModelSpec spec)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("flatten", Flatten()) };
        var width = spec.InputFeatures;
        for (var i = 0; i < spec.Hidden.Count; i++)
        {
            layers.Add(($"fc{i + 1}", Linear(width, spec.Hidden[i])));
            layers.Add(($"relu{i + 1}", ReLU()));
            width = spec.Hidden[i];
        }
        layers.Add(("out", Linear(width, spec.Classes)));
        return Sequential(layers);
    }

    private static Module<Tensor, Tensor> Cnn(ModelSpec spec)
    {
        if (spec.InputShape.Count != 3)
            throw new ArgumentException($"the cnn model needs image inputs [channels, height, width], not [{string.Join(",", spec.InputShape)}]");
        int channels = spec.InputShape[0], height = spec.InputShape[1], width = spec.InputShape[2];
        var flat = 32 * (height / 4) * (width / 4);
        return Sequential(
            ("conv1", Conv2d(channels, 16, 5, padding: 2)),
            ("relu1", ReLU()),
            ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(16, 32, 5, padding: 2)),
            ("relu2", ReLU()),
            ("pool2", MaxPool2d(2)),
            ("flatten", Flatten()),
            ("fc1", Linear(flat, spec.Hidden.Count > 0 ? spec.Hidden[0] : 128)),
            ("relu3", ReLU()),
            ("out", Linear(spec.Hidden.Count > 0 ? spec.Hidden[0] : 128, spec.Classes)));
    }
}
