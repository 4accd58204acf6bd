using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → worker: the answer to every <see cref="BatchCompleted"/>, repeated or not, once the ledger has
/// taken it (committed, already committed, or refused as not held). Until it arrives the worker resends its completion.
/// </summary>
[MessagePackObject]
public sealed record BatchCommitted([property: Key(0)] int Epoch, [property: Key(1)] int MicroBatch) : IWireMessage;
