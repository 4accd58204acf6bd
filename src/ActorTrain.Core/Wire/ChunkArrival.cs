namespace ActorTrain.Core.Wire;

/// <summary>
/// The answer of <see cref="ChunkAssembler.Add"/>: what the chunk did (<see cref="Kind"/>), the whole message once
/// <see cref="ChunkArrivalKind.Complete"/>, the reason once <see cref="ChunkArrivalKind.Rejected"/>, and the
/// incomplete messages dropped to stay within the assembler's bounds (their senders' resends recover them).
/// </summary>
public sealed record ChunkArrival(ChunkArrivalKind Kind, byte[]? Whole, string? Problem, IReadOnlyList<ChunkKey> Dropped)
{
    public static ChunkArrival Incomplete(IReadOnlyList<ChunkKey> dropped) => new(ChunkArrivalKind.Incomplete, null, null, dropped);

    public static ChunkArrival Duplicate(IReadOnlyList<ChunkKey> dropped) => new(ChunkArrivalKind.Duplicate, null, null, dropped);

    public static ChunkArrival Complete(byte[] whole, IReadOnlyList<ChunkKey> dropped) => new(ChunkArrivalKind.Complete, whole, null, dropped);

    public static ChunkArrival Rejected(string problem, IReadOnlyList<ChunkKey> dropped) => new(ChunkArrivalKind.Rejected, null, problem, dropped);
}
