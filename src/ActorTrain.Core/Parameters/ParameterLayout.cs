namespace ActorTrain.Core.Parameters;

/// <summary>
/// The canonical flattening of a model: its parameters in declaration order, each row-major, laid end
/// to end. Weights and gradients use the same layout, so a shard range means the same thing for both.
/// </summary>
public sealed class ParameterLayout
{
    private readonly ParameterTensor[] _tensors;

    public ParameterLayout(IEnumerable<(string Name, long[] Shape)> parameters)
    {
        var tensors = new List<ParameterTensor>();
        var offset = 0L;
        foreach (var (name, shape) in parameters)
        {
            var length = shape.Aggregate(1L, (a, b) => a * b);
            if (offset + length > int.MaxValue) throw new ArgumentException("models above 2^31 parameters are not supported");
            tensors.Add(new ParameterTensor(name, shape, (int)offset, (int)length));
            offset += length;
        }
        _tensors = [.. tensors];
        TotalLength = (int)offset;
    }

    public int TotalLength { get; }
    public IReadOnlyList<ParameterTensor> Tensors => _tensors;
}
