using ActorTrain.Cli.Commands;
using Xunit;

namespace ActorTrain.Cli.Tests.Commands;

/// <summary>`actortrain &lt;command&gt; --help` prints that command's options for every command the CLI has.</summary>
public sealed class CommandHelpTests
{
    private static async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    public static TheoryData<string> Commands => [.. CommandHelp.Names];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Each_command_prints_its_usage_and_options_and_exits_0(string command)
    {
        foreach (var args in new[] { new[] { command, "--help" }, [command, "-h"], ["help", command] })
        {
            var (code, output, error) = await Cli(args);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {error}");
            Assert.StartsWith($"usage: actortrain {command}", output, StringComparison.Ordinal);
            Assert.EndsWith("\n", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_command_of_the_overview_has_its_help()
    {
        var (_, overview, _) = await Cli("help");
        var listed = overview.Split('\n').Where(l => l.StartsWith("  actortrain ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[1]).Where(c => c != "help").Distinct().ToList();

        Assert.NotEmpty(listed);
        Assert.Equal(listed.Order(), CommandHelp.Names.Order());
    }

    [Fact]
    public async Task Options_are_described_and_an_unknown_command_is_an_error()
    {
        var (_, run, _) = await Cli("run", "--help");
        foreach (var option in new[] { "--in-process", "--workers", "--mode", "--runs-dir", "--set", "--fail-on-violation" })
            Assert.Contains(option, run, StringComparison.Ordinal);

        var (code, _, error) = await Cli("help", "frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("no command 'frobnicate'", error, StringComparison.Ordinal);
    }
}
