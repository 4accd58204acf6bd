using ActorTrain.Actors.Settings;
using Akka.Configuration;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// The seeded synthetic job the hosting tests run: 1000 training samples in micro-batches of 16 (63 per epoch), every
/// message through the wire serializer (serialize-messages = on).
/// </summary>
internal static class SyntheticJob
{
    public static Config Config(string mode, int workers, ulong seed, int shards = 3, int epochs = 2, double momentum = 0.9, string extra = "") =>
        JobConfig.FromText($$"""
            akka.actor.serialize-messages = on
            akka.loglevel = WARNING
            actortrain {
              job { name = test, seed = {{seed}}, epochs = {{epochs}}, mode = {{mode}}, workers = {{workers}}, shards = {{shards}} }
              model { kind = mlp, hidden = [24] }
              data { task = synthetic, validation-size = 256, synthetic { train-size = 1000, test-size = 256, features = 16, classes = 4, noise = 1.0 } }
              training { micro-batch-size = 16, batch-size = 64 }
              optimizer { kind = sgd, learning-rate = 0.05, momentum = {{momentum}} }
              evaluator { every-updates = 10 }
              torch { threads = 1 }
              {{extra}}
            }
            """);
}
