using ActorTrain.Actors.Hosting;
using ActorTrain.Torch.Data;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>A data decorator for divergence tests: the job's data with one training sample's features all set to <c>value</c>.</summary>
internal static class PoisonedData
{
    public static JobData With(JobData data, int sample, float value)
    {
        var train = data.Splits.Train;
        var features = (float[])train.Features.Clone();
        features.AsSpan(sample * train.FeatureCount, train.FeatureCount).Fill(value);
        var poisoned = new LabeledSamples(train.Name, features, train.Labels, train.FeatureCount, train.ClassCount, train.SampleShape);
        return data with { Splits = data.Splits with { Train = poisoned } };
    }
}
