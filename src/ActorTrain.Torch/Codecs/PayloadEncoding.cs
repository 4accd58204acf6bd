namespace ActorTrain.Torch.Codecs;

/// <summary>How a float vector is laid out as bytes on the wire; little-endian always.</summary>
public enum PayloadEncoding : byte
{
    F32 = 0,
    Bf16 = 1,
    F16 = 2,
}
