using System.Diagnostics;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Randomness;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Native;
using ActorTrain.Torch.Parameters;
using static TorchSharp.torch;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// The baseline ActorTrain is measured against: a plain single-threaded TorchSharp training loop with the
/// same model, initial weights, micro-batch, data gathering and optimizer, and no actors at all.
/// </summary>
public static class PlainTorchLoop
{
    /// <summary>Trains for the given epochs on a fresh thread (as a worker's training thread is) and returns samples per second.</summary>
    public static Task<double> SamplesPerSecondAsync(ActorTrainSettings settings, LabeledSamples train, ModelSpec spec, float[] initialWeights)
    {
        var completion = new TaskCompletionSource<double>();
        var thread = new Thread(() =>
        {
            try
            {
                TorchRuntime.UseThreads(settings.Torch.EffectiveThreads);
                completion.SetResult(SamplesPerSecond(settings, train, spec, initialWeights));
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        }) { Name = "plain-loop" };
        thread.Start();
        return completion.Task;
    }

    private static double SamplesPerSecond(ActorTrainSettings settings, LabeledSamples train, ModelSpec spec, float[] initialWeights)
    {
        using var model = ModelFactory.Create(spec);
        new FlatModel(model).LoadWeights(initialWeights);
        model.train();
        using var optimizer = Create(settings.Optimizer, model.parameters());
        var batch = settings.Training.MicroBatchSize;
        var features = new float[batch * train.FeatureCount];
        var labels = new long[batch];
        long[] shape = [-1, .. spec.InputShape.Select(d => (long)d)];
        var schedule = settings.Optimizer.ScheduleOver((long)settings.Job.Epochs * ((train.Count + batch - 1) / batch));
        var update = 0L;
        var samples = 0L;
        var clock = Stopwatch.StartNew();
        for (var epoch = 0; epoch < settings.Job.Epochs; epoch++)
        {
            var order = SplitMix64.For(settings.Job.Seed, RandomPurpose.EpochShuffle, (ulong)epoch).Permutation(train.Count);
            for (var start = 0; start < order.Length; start += batch)
            {
                var n = Math.Min(batch, order.Length - start);
                train.CopyRows(order.AsSpan(start, n), features.AsSpan(0, n * train.FeatureCount), labels.AsSpan(0, n));
                optimizer.zero_grad();
                foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.At(update++);
                using (var scope = NewDisposeScope())
                {
                    var x = from_array(features).narrow(0, 0, n * train.FeatureCount).view(shape);
                    var y = from_array(labels).narrow(0, 0, n);
                    nn.functional.cross_entropy(model.forward(x), y).backward();
                }
                optimizer.step(); // outside the scope: the optimizer keeps native objects across steps
                samples += n;
            }
        }
        return samples / clock.Elapsed.TotalSeconds;
    }

    private static optim.Optimizer Create(OptimizerSpec spec, IEnumerable<TorchSharp.Modules.Parameter> parameters) => spec.Kind switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, spec.LearningRate, spec.Momentum, weight_decay: spec.WeightDecay, nesterov: spec.Nesterov),
        OptimizerKind.Adam => optim.Adam(parameters, spec.LearningRate, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
        _ => optim.AdamW(parameters, spec.LearningRate, spec.Beta1, spec.Beta2, weight_decay: spec.WeightDecay),
    };
}
