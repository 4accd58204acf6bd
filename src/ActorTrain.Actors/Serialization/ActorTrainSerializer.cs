using System.Runtime.Serialization;
using ActorTrain.Actors.Protocol;
using Akka.Actor;
using Akka.Serialization;
using MessagePack;
using MessagePack.Resolvers;

namespace ActorTrain.Actors.Serialization;

/// <summary>
/// The one serializer of ActorTrain's messages: MessagePack for headers and control fields, tensor bytes as
/// raw MessagePack bin fields (no per-element encoding, no JSON). Its identifier is part of persisted data
/// and must never change.
/// </summary>
public sealed class ActorTrainSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4701;

    private static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(StandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private static long _bytesWritten;
    private static long _bytesRead;

    /// <summary>Bytes this process has serialized and deserialized with this serializer: what crossed its wire.</summary>
    public static (long Written, long Read) WireBytes => (Interlocked.Read(ref _bytesWritten), Interlocked.Read(ref _bytesRead));

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => WireTypes.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        var bytes = Serialize(obj);
        Interlocked.Add(ref _bytesWritten, bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        Interlocked.Add(ref _bytesRead, bytes.Length);
        if (manifest != nameof(ShardSnapshot)) return Deserialize(bytes, manifest);
        try
        {
            return Deserialize(bytes, manifest);
        }
        catch (Exception e) when (e is MessagePackSerializationException or SerializationException or ArgumentException or InvalidOperationException)
        {
            // A shard snapshot damaged on disk: the shard is told so and falls back to an older one (a store failing the
            // whole load would only make it retry the same bytes forever).
            return new UnreadableShardSnapshot($"its stored bytes could not be read ({e.Message})");
        }
    }

    /// <summary>A wire message's bytes, as <see cref="ToBinary"/> writes them but not counted as crossing the wire (chunking cuts them first).</summary>
    public static byte[] Serialize(object message) => PayloadDeferringWriter.Serialize(message.GetType(), message, Options);

    /// <summary>The message <see cref="Serialize"/> wrote under <paramref name="manifest"/>; not counted as crossing the wire.</summary>
    public static object Deserialize(ReadOnlyMemory<byte> bytes, string manifest) =>
        MessagePackSerializer.Deserialize(WireTypes.TypeOf(manifest), bytes, Options)
        ?? throw new SerializationException($"a {manifest} message deserialized to null");
}
