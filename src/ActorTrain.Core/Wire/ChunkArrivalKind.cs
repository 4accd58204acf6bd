namespace ActorTrain.Core.Wire;

/// <summary>What one chunk did to its message's reassembly.</summary>
public enum ChunkArrivalKind
{
    /// <summary>Stored; chunks are still missing.</summary>
    Incomplete,

    /// <summary>That chunk was already there; nothing changed.</summary>
    Duplicate,

    /// <summary>It was the last missing chunk: the whole message is ready.</summary>
    Complete,

    /// <summary>Not stored: it contradicts the message's other chunks or its own header (the reason says how).</summary>
    Rejected,
}
