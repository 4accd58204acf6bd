using ActorTrain.Actors.Settings;
using Xunit;
using Xunit.Abstractions;

namespace ActorTrain.Actors.Tests.Settings;

public sealed class ProbeTmp(ITestOutputHelper output)
{
    [Theory]
    [InlineData("actortrain.model.hidden = 256")]
    [InlineData("actortrain.model.hidden = \"256,128\"")]
    [InlineData("actortrain.evaluator.every-updates = 3000000000")]
    [InlineData("actortrain.job.name = [a]")]
    [InlineData("actortrain.model.hidden = []")]
    [InlineData("actortrain.model.hidden = [a, 3]")]
    [InlineData("actortrain.job = 5")]
    [InlineData("actortrain.job.workers = [1,2]")]
    [InlineData("actortrain.job.workers = { a = 1 }")]
    [InlineData("actortrain.job.name = null")]
    [InlineData("actortrain.data.path = null")]
    [InlineData("actortrain.optimizer.learning-rate = 1e-3")]
    [InlineData("actortrain.optimizer.learning-rate = NaN")]
    [InlineData("actortrain.job.mode = BSP")]
    [InlineData("actortrain.run.progress-interval = 5")]
    [InlineData("actortrain.run.progress-interval = abc")]
    [InlineData("actortrain.training.micro-batch-size = 0")]
    [InlineData("actortrain = 3")]
    [InlineData("actortrain.optimizer.warmup-updates = 5000000000")]
    public void Probe(string line)
    {
        try
        {
            var s = ActorTrainSettings.Create(JobConfig.FromText(line));
            output.WriteLine($"OK hidden=[{string.Join(",", s.Model.Hidden)}] name='{s.Job.Name}'");
        }
        catch (Exception e)
        {
            output.WriteLine($"{e.GetType().Name}: {e.Message}");
        }
    }
}
