namespace ActorTrain.Core.Parameters;

/// <summary>One named tensor of a model and where its elements sit in the flat vector.</summary>
public sealed record ParameterTensor(string Name, IReadOnlyList<long> Shape, int Offset, int Length);
