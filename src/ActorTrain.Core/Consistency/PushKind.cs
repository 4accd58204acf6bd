namespace ActorTrain.Core.Consistency;

/// <summary>What a push to a shard holds, which decides how the shard applies it.</summary>
public enum PushKind
{
    /// <summary>A gradient summed over the push's samples: the shard divides by the sample count and steps its optimizer.</summary>
    Gradient = 0,

    /// <summary>A local SGD round's pseudo-gradient (start − end weights): applied as-is by the local SGD outer step.</summary>
    LocalSgdPseudoGradient = 1,

    /// <summary>A DiLoCo round's pseudo-gradient: applied as-is by the outer Nesterov-momentum step.</summary>
    DiLoCoPseudoGradient = 2,
}
