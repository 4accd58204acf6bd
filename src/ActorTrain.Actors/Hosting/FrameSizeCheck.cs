using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Configuration;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Akka.Remote silently drops a message above its maximum frame size. Tensor payloads above actortrain.wire.chunk-size
/// travel as chunks, so every message fits when a chunk plus <see cref="PayloadChunk.HeaderAllowance"/> does: a node
/// whose settings break that is refused before it starts, with a message naming both keys.
/// </summary>
public static class FrameSizeCheck
{
    public const string FrameKey = "akka.remote.dot-netty.tcp.maximum-frame-size";
    public const string ChunkKey = "actortrain.wire.chunk-size";

    /// <summary>Akka.Remote's own default, used when the config leaves the key out.</summary>
    public const long AkkaDefaultFrame = 128_000;

    public static void Check(Config config, WireSettings wire)
    {
        var frame = config.GetByteSize(FrameKey) ?? AkkaDefaultFrame;
        if (wire.ChunkSize + (long)PayloadChunk.HeaderAllowance <= frame) return;
        var largestChunk = frame - PayloadChunk.HeaderAllowance;
        var advice = largestChunk >= WireSettings.MinChunkSize
            ? $"set {ChunkKey} to at most {largestChunk} bytes, or raise {FrameKey} to at least {wire.ChunkSize + (long)PayloadChunk.HeaderAllowance} bytes"
            : $"raise {FrameKey} to at least {wire.ChunkSize + (long)PayloadChunk.HeaderAllowance} bytes";
        throw new SettingsException($"{ChunkKey} = {wire.ChunkSize} bytes does not fit in {FrameKey} = {frame} bytes, which must also hold " +
                                    $"{PayloadChunk.HeaderAllowance} bytes of headers: {advice}.");
    }
}
