namespace ActorTrain.Actors.Wire;

/// <summary>
/// What <see cref="ChunkReceiver.Accept"/> makes of one chunk: the whole message once its last chunk is in, or why
/// the chunk cannot be used (the receiver answers as it answers a damaged message of that kind), or neither.
/// </summary>
public readonly record struct ChunkReceipt(object? Message, string? Problem);
