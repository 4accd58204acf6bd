using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// Reads a HOCON file with its <c>include "…"</c> lines resolved: a relative path is taken from the directory of the file
/// that includes it (so nested includes work wherever the first file is), an absolute one as it is. Akka's parser has no
/// default resolver (an include without one fails with a NullReferenceException), and a missing or cyclic include is an
/// error naming the file.
/// </summary>
public static class HoconFile
{
    public static Config Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new SettingsException($"config file {path} does not exist.");
        return new Config(Parse(full, [full]));
    }

    private static HoconRoot Parse(string file, IReadOnlyList<string> chain)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (IOException e)
        {
            throw new SettingsException($"{file} could not be read: {e.Message}");
        }
        try
        {
            return Parser.Parse(text, include => Include(file, include, chain));
        }
        catch (SettingsException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new SettingsException($"{file} is not valid HOCON: {e.Message}");
        }
    }

    private static HoconRoot Include(string includer, string name, IReadOnlyList<string> chain)
    {
        var unquoted = name.Trim().Trim('"');
        if (unquoted.StartsWith("file(", StringComparison.Ordinal) && unquoted.EndsWith(')')) unquoted = unquoted[5..^1].Trim().Trim('"');
        var target = Path.GetFullPath(Path.IsPathRooted(unquoted) ? unquoted : Path.Combine(Path.GetDirectoryName(includer)!, unquoted));
        if (!File.Exists(target))
            throw new SettingsException($"{includer} includes \"{unquoted}\", but {target} does not exist (a relative include is taken from the including file's directory).");
        if (chain.Contains(target)) throw new SettingsException($"{includer} includes {target}, which includes it back: {string.Join(" -> ", chain.Append(target))}.");
        return Parse(target, [.. chain, target]);
    }
}
