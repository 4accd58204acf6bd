using System.Text;

namespace ActorTrain.Chaos.Agent;

/// <summary>Reads the whole lines appended to a file since the last call (a partial last line waits for its newline).</summary>
public sealed class LineTail(string file)
{
    private long _offset;
    private readonly StringBuilder _partial = new();

    public IReadOnlyList<string> ReadNew()
    {
        if (!File.Exists(file)) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _offset) return [];
        stream.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - _offset];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _offset += read;
        _partial.Append(Encoding.UTF8.GetString(buffer, 0, read));
        var text = _partial.ToString();
        var last = text.LastIndexOf('\n');
        if (last < 0) return [];
        _partial.Clear().Append(text[(last + 1)..]);
        return text[..last].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
