using ActorTrain.Actors.Protocol;
using MessagePack;
using MessagePack.Formatters;

namespace ActorTrain.Actors.Serialization;

/// <summary>
/// Writes a batch of coordinator events as a MessagePack array of [manifest, event] pairs, each event written in place
/// as its own type writes it, so the batch holds any mix of wire messages and reads back to the same types.
/// </summary>
public sealed class CoordinatorEventsFormatter : IMessagePackFormatter<CoordinatorEvents>
{
    public void Serialize(ref MessagePackWriter writer, CoordinatorEvents value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(value.Events.Length);
        foreach (var e in value.Events)
        {
            var type = e.GetType();
            writer.WriteArrayHeader(2);
            writer.Write(WireTypes.ManifestOf(type));
            MessagePackSerializer.Serialize(type, ref writer, e, options);
        }
    }

    public CoordinatorEvents Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var events = new IWireMessage[reader.ReadArrayHeader()];
        for (var i = 0; i < events.Length; i++)
        {
            if (reader.ReadArrayHeader() != 2) throw new MessagePackSerializationException("a coordinator event is a [manifest, event] pair");
            var type = WireTypes.TypeOf(reader.ReadString() ?? "");
            events[i] = (IWireMessage)(MessagePackSerializer.Deserialize(type, ref reader, options)
                ?? throw new MessagePackSerializationException($"a {type.Name} in a coordinator batch read as null"));
        }
        return new CoordinatorEvents(events);
    }
}
