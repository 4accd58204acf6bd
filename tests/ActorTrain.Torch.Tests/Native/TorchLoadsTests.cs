using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Torch.Tests.Native;

public sealed class TorchLoadsTests
{
    [Fact]
    public void Tensors_are_created_and_a_backward_pass_runs()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1f, 2f, 3f }, requires_grad: true);
        var y = (x * x).sum();
        y.backward();
        Assert.Equal(new float[] { 2f, 4f, 6f }, x.grad!.data<float>().ToArray());
    }
}
