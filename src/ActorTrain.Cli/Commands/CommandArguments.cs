using System.Globalization;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// A command's arguments: positionals, <c>--flag</c> switches and <c>--option value</c> pairs. Every option is
/// declared by the command, so a misspelt one is an error that names it rather than something ignored.
/// </summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _sets = [];

    private CommandArguments(List<string> positionals) => Positionals = positionals;

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>The values of repeated <c>--set key=value</c> options, in order.</summary>
    public IReadOnlyList<string> Sets => _sets;

    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        var positionals = new List<string>();
        var parsed = new CommandArguments(positionals);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(arg);
                continue;
            }
            var name = arg[2..];
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0 && name != "set")
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (flags.Contains(name))
            {
                parsed._options[name] = null;
            }
            else if (valued.Contains(name) || name == "set")
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value"));
                if (name == "set") parsed._sets.Add(value);
                else parsed._options[name] = value;
            }
            else
            {
                throw new UsageException($"unknown option --{name}; known: {string.Join(", ", flags.Concat(valued).Append("set").Order().Select(o => "--" + o))}");
            }
        }
        return parsed;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public int? Int(string name, int min)
    {
        var raw = Value(name);
        if (raw is null) return null;
        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new UsageException($"--{name} {raw} is not valid: expected an integer ≥ {min}");
    }
}
