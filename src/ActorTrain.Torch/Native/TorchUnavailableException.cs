namespace ActorTrain.Torch.Native;

/// <summary>TorchSharp cannot run in this process; the message says why and what to do.</summary>
public sealed class TorchUnavailableException(string message, Exception inner) : Exception(message, inner);
