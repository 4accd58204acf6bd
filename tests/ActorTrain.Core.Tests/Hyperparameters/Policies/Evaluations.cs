using ActorTrain.Core.Hyperparameters.Policies;

namespace ActorTrain.Core.Tests.Hyperparameters.Policies;

/// <summary>Evaluations for tests: one a second from a fixed noon, so times are exact and the update says when.</summary>
internal static class Evaluations
{
    public static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static Evaluation At(long update, double loss, double accuracy = double.NaN) => new(update, Noon.AddSeconds(update), loss, accuracy);
}
