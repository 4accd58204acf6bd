using ActorTrain.Core.Data;
using Xunit;

namespace ActorTrain.Core.Tests.Data;

public sealed class BatchPlanConcurrencyTests
{
    /// <summary>
    /// One thread reads epoch 0 while another walks epochs 1..3 on the same plan: every answer must still be the
    /// planned one. A shared plan is what an in-process run of several workers would naturally hold.
    /// </summary>
    [Fact]
    public void SamplesOf_gives_the_planned_samples_when_called_from_several_threads_at_once()
    {
        const int epochs = 4;
        var reference = new BatchPlan(8, 8, 1, epochs, seed: 11);
        var expected = Enumerable.Range(0, epochs).Select(e => reference.SamplesOf(new MicroBatchId(e, 0))).ToArray();
        var shared = new BatchPlan(8, 8, 1, epochs, seed: 11);
        var wrong = 0;

        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var n = 0; n < 1_000_000 && Volatile.Read(ref wrong) == 0; n++)
            {
                var epoch = t == 0 ? 0 : 1 + n % (epochs - 1);
                if (!shared.SamplesOf(new MicroBatchId(epoch, 0)).AsSpan().SequenceEqual(expected[epoch])) Interlocked.Increment(ref wrong);
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.Equal(0, wrong);
    }
}
