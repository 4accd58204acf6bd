namespace ActorTrain.Cli.Commands;

/// <summary>The file formats <c>actortrain export</c> writes.</summary>
public enum ExportFormat
{
    /// <summary>TorchSharp's <c>Module.save</c> format (model.pt), read back by <c>Module.load</c>.</summary>
    TorchSharp,

    /// <summary>safetensors (model.safetensors), loaded by PyTorch with <c>safetensors.torch.load_file</c>.</summary>
    Safetensors,
}
