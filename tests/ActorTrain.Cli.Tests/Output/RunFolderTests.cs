using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;
using ActorTrain.Cli.Output;
using Xunit;

namespace ActorTrain.Cli.Tests.Output;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actortrain-runfolder-").FullName;

    [Fact]
    public void The_config_a_run_wrote_reads_back_to_the_same_settings_empty_strings_and_connection_strings_included()
    {
        var config = JobConfig.FromText("""
            actortrain {
              job { name = tricky, seed = 7, shards = 3 }
              model { hidden = [12, 6] }
              data { path = "" }
              cluster.tls.certificate-password = ""
              persistence { store = postgresql, run-id = r1, connection-string = "Host=db.example;Port=5433;Database=a b;Username=u;Password=p=q" }
              persistence.snapshot.every = 250ms
            }
            """);
        var folder = RunFolder.Create(_directory, "tricky", DateTime.UnixEpoch);
        folder.WriteConfig(config.GetConfig(ActorTrainSettings.Root).Root.ToString(0)); // as `run` writes it

        var read = ActorTrainSettings.Create(JobConfig.FromText(RunFolder.Open(folder.Path).ReadConfig()));

        var original = ActorTrainSettings.Create(config);
        Assert.Equal(original.Job, read.Job);
        Assert.Equal([12, 6], read.Model.Hidden);
        Assert.Null(read.Data.Path);
        Assert.Equal("", read.Cluster.Tls.CertificatePassword);
        Assert.Equal("Host=db.example;Port=5433;Database=a b;Username=u;Password=p=q", read.Persistence.ConnectionString);
        Assert.Equal(original.Persistence.Snapshot, read.Persistence.Snapshot);
        Assert.Equal(original.Persistence.UpstreamBackupBytes, read.Persistence.UpstreamBackupBytes);
        Assert.Equal(original.Optimizer, read.Optimizer);
    }

    [Fact]
    public void A_folder_without_config_hocon_is_not_a_run_folder()
    {
        var error = Assert.Throws<UsageException>(() => RunFolder.Open(_directory));
        Assert.Equal($"{_directory} is not a run folder: it has no config.hocon (actortrain run writes one when a run starts).", error.Message);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
