using System.Runtime.InteropServices;
using ActorTrain.Core.DataQuality;

namespace ActorTrain.Torch.Data.Quality;

/// <summary>An already loaded split (e.g. the synthetic task) as the data check reads it: features as bytes; a non-finite feature is out of range.</summary>
public static class SampleRecords
{
    public static SplitRecords Of(string name, LabeledSamples samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var outOfRange = new List<int>();
        for (var row = 0; row < samples.Count; row++)
            foreach (var value in samples.Features.AsSpan(row * samples.FeatureCount, samples.FeatureCount))
                if (!float.IsFinite(value))
                {
                    outOfRange.Add(row);
                    break;
                }
        var bytes = MemoryMarshal.AsBytes(samples.Features.AsSpan()).ToArray();
        return new SplitRecords(name, samples.ClassCount, [.. samples.Labels.Select(l => (int)l)], bytes, samples.FeatureCount * sizeof(float), [.. outOfRange]);
    }
}
