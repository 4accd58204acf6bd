using ActorTrain.Actors.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

/// <summary>Includes in job and scenario files: relative to the including file, absolute, nested, missing, cyclic.</summary>
public sealed class HoconFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-hocon-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_relative_include_is_taken_from_the_including_files_directory_and_later_keys_override_it()
    {
        Write("jobs/base.hocon", "actortrain.job { name = base, epochs = 3 }\ninclude \"parts/model.hocon\"");
        Write("jobs/parts/model.hocon", "actortrain.model.hidden = [16]");
        var job = Write("scenarios/job.hocon", "include \"../jobs/base.hocon\"\nactortrain.job.epochs = 7");

        var config = JobConfig.FromFile(job);

        Assert.Equal("base", config.GetString("actortrain.job.name"));
        Assert.Equal(7, config.GetInt("actortrain.job.epochs"));
        Assert.Equal([16], config.GetIntList("actortrain.model.hidden"));
    }

    [Fact]
    public void An_absolute_include_works_from_anywhere()
    {
        var base_ = Write("base.hocon", "actortrain.job.name = absolute");
        var job = Write("elsewhere/job.hocon", $"include \"{base_}\"");

        Assert.Equal("absolute", JobConfig.FromFile(job).GetString("actortrain.job.name"));
    }

    [Fact]
    public void A_missing_include_is_an_error_naming_the_file()
    {
        var job = Write("job.hocon", "include \"missing.hocon\"");

        var e = Assert.Throws<SettingsException>(() => JobConfig.FromFile(job));

        Assert.Contains(Path.Combine(_directory, "missing.hocon"), e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void An_include_cycle_is_an_error_not_a_stack_overflow()
    {
        Write("a.hocon", "include \"b.hocon\"");
        Write("b.hocon", "include \"a.hocon\"");

        var e = Assert.Throws<SettingsException>(() => JobConfig.FromFile(Path.Combine(_directory, "a.hocon")));

        Assert.Contains("includes it back", e.Message);
    }

    [Fact]
    public void Unknown_keys_in_an_included_file_are_still_refused()
    {
        Write("base.hocon", "actortrain.job.wokers = 2");
        var job = Write("job.hocon", "include \"base.hocon\"");

        var e = Assert.Throws<SettingsException>(() => JobConfig.FromFile(job));

        Assert.Contains("actortrain.job.wokers", e.Message);
    }
}
