using System.Runtime.Serialization;
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
        var bytes = PayloadDeferringWriter.Serialize(obj.GetType(), obj, Options);
        Interlocked.Add(ref _bytesWritten, bytes.Length);
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        Interlocked.Add(ref _bytesRead, bytes.Length);
        return MessagePackSerializer.Deserialize(WireTypes.TypeOf(manifest), bytes, Options)
               ?? throw new SerializationException($"a {manifest} message deserialized to null");
    }
}
