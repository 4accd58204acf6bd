namespace ActorTrain.Core.Hyperparameters;

/// <summary>The optimizer a parameter shard runs over its flat range.</summary>
public enum OptimizerKind
{
    Sgd,
    Adam,
    AdamW,
}
