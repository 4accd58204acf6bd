using System.Buffers.Binary;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Codecs;
using Akka.Serialization;
using Xunit;

namespace ActorTrain.Actors.Tests.Serialization;

/// <summary>
/// Every wire message through Akka's real serialization, configured by reference.conf alone: the binding
/// must pick <see cref="ActorTrainSerializer"/> and the message must come back field for field.
/// </summary>
public sealed class WireRoundTripTests() : Akka.TestKit.Xunit2.TestKit(JobConfig.Reference)
{
    public static TheoryData<string> Manifests => [.. WireTypes.ByManifest.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_wire_type_has_a_round_trip_sample_and_every_sample_is_a_wire_type()
    {
        var wireTypes = WireTypes.ByManifest.Values.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var sampled = WireSamples.ByType.Keys.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(wireTypes, sampled);
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void A_wire_message_survives_the_bound_serializer_field_for_field(string manifest)
    {
        var type = WireTypes.ByManifest[manifest];
        Assert.True(WireSamples.ByType.TryGetValue(type, out var message), $"{type.Name} has no sample in {nameof(WireSamples)}: add one");

        var (bytes, serializerId, writtenManifest) = Serialize(message);
        var back = Sys.Serialization.Deserialize(bytes, serializerId, writtenManifest);

        Assert.Equal(ActorTrainSerializer.SerializerId, serializerId);
        Assert.Equal(manifest, writtenManifest);
        WireStructure.AssertEqual(message, back);
        Assert.Equal(bytes, Serialize(back).Bytes);
    }

    [Fact]
    public void The_serializer_bound_to_wire_messages_is_ActorTrainSerializer_with_identifier_4701()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new RequestWork("w", 1));

        Assert.IsType<ActorTrainSerializer>(serializer);
        Assert.Equal(4701, serializer.Identifier);
    }

    [Fact]
    public void F32_payload_bytes_are_the_raw_little_endian_floats_written_contiguously_as_one_bin_field()
    {
        float[] values = [1.5f, -2.25f, 3.1415927f, 1e-20f, -0f, 1e30f, 0.1f, -7f];
        var expected = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(4 * i), values[i]);

        var payload = TensorPayload.Encode(values, PayloadEncoding.F32);
        var (bytes, _, _) = Serialize(new ShardWeights(0, 1, payload));

        Assert.Equal(expected, payload.Bytes);
        var at = bytes.AsSpan().IndexOf(expected);
        Assert.True(at >= 2, "the serialized ShardWeights does not contain the payload's floats as one contiguous run");
        // MessagePack bin8 header: 0xc4 then the byte count. After the bytes only the pull id (0: one byte) follows.
        Assert.Equal([0xc4, (byte)expected.Length], bytes[(at - 2)..at]);
        Assert.Equal(bytes.Length, at + expected.Length + 1);
    }

    [Fact]
    public void A_payload_damaged_in_transit_arrives_marked_damaged_and_stays_so_when_passed_on()
    {
        var push = new PushGradients(0, "w", 1, 1, 0, 0, 1, 2, 0, TensorPayload.Encode([1f, 2f, 3f, 4f], PayloadEncoding.F32));
        var (bytes, id, manifest) = Serialize(push);
        Assert.Null(((PushGradients)Sys.Serialization.Deserialize(bytes, id, manifest)).Gradient.Damage);

        bytes[bytes.AsSpan().LastIndexOf(BitConverter.GetBytes(4f)) + 1] ^= 0x01; // a bit flipped inside the float bytes
        var received = (PushGradients)Sys.Serialization.Deserialize(bytes, id, manifest);
        Assert.StartsWith("payload checksum mismatch", received.Gradient.Damage);
        Assert.Equal(received.Gradient.Damage, received.Gradient.Problem(4));

        var (again, _, _) = Serialize(received);
        Assert.NotNull(((PushGradients)Sys.Serialization.Deserialize(again, id, manifest)).Gradient.Damage);
    }

    [Theory]
    [InlineData("a data bit", 1)]
    [InlineData("the chunk index", 0)]
    public void A_chunk_damaged_in_transit_arrives_marked_damaged_whichever_field_is_hit(string what, int fromEnd)
    {
        var chunk = new PayloadChunk(3, "w", 1, 9, "PushGradients", Index: 1, Count: 4, TotalLength: 40, Bytes: new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });
        var (bytes, id, manifest) = Serialize(chunk);
        Assert.Null(((PayloadChunk)Sys.Serialization.Deserialize(bytes, id, manifest)).Damage);

        // A data bit sits among the last bytes; the index is the positive fixint 1 just after the manifest string.
        var at = fromEnd > 0 ? bytes.Length - 2 : bytes.AsSpan().IndexOf("PushGradients"u8) + "PushGradients".Length;
        bytes[at] ^= 0x02;
        var received = (PayloadChunk)Sys.Serialization.Deserialize(bytes, id, manifest);

        Assert.True(received.Damage?.StartsWith("chunk checksum mismatch", StringComparison.Ordinal), $"{what}: {received.Damage ?? "not detected"}");
        Assert.NotNull(((PayloadChunk)Sys.Serialization.Deserialize(Serialize(received).Bytes, id, manifest)).Damage);
    }

    [Fact]
    public void An_unknown_manifest_fails_with_an_error_naming_the_manifest()
    {
        var (bytes, id, _) = Serialize(new RequestWork("w", 1));

        // ArgumentException, like SerializationException, is what Akka.Remote treats as a transient
        // serialization error: the message is dropped and logged, the association stays up.
        var error = Assert.Throws<ArgumentException>(() => Sys.Serialization.Deserialize(bytes, id, "NoSuchMessage"));

        Assert.Equal("unknown wire manifest 'NoSuchMessage': the sender runs a different ActorTrain protocol", error.Message);
    }

    private (byte[] Bytes, int SerializerId, string Manifest) Serialize(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var manifest = Assert.IsAssignableFrom<SerializerWithStringManifest>(serializer).Manifest(message);
        return (serializer.ToBinary(message), serializer.Identifier, manifest);
    }
}
