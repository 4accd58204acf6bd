using ActorTrain.Core.Numerics;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Training;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// A worker's training step, run on its training thread: load the shards' weights into the replica (skipping
/// a payload already loaded), forward and backward one micro-batch, and cut the gradient into one payload per
/// shard, with the gradient's L2 norm. f32 payloads are copied straight between the wire bytes and the tensors' storage.
/// </summary>
internal sealed class ReplicaStep : IDisposable
{
    private readonly ReplicaTrainer _trainer;
    private readonly ShardLayout _layout;
    private readonly PayloadEncoding _encoding;
    private readonly TensorPayload?[] _loaded;
    private readonly float[] _scratch;

    public ReplicaStep(ModelSpec model, ShardLayout layout, PayloadEncoding encoding)
    {
        _trainer = new ReplicaTrainer(model, layout.TotalLength);
        _layout = layout;
        _encoding = encoding;
        _loaded = new TensorPayload?[layout.ShardCount];
        _scratch = new float[layout.Ranges.Max(r => r.Length)];
    }

    public (MicroBatchResult Result, TensorPayload[] Gradients, double GradientNorm) Run(IReadOnlyList<TensorPayload?> weights, LabeledSamples data, int[] samples, ulong batchKey)
    {
        for (var s = 0; s < _layout.ShardCount; s++)
        {
            var payload = weights[s]!;
            if (ReferenceEquals(payload, _loaded[s])) continue;
            var range = _layout[s];
            if (payload.Encoding == PayloadEncoding.F32 && BitConverter.IsLittleEndian)
            {
                _trainer.Flat.LoadRange(range.Start, MemoryMarshal.Cast<byte, float>(payload.Bytes));
            }
            else
            {
                payload.DecodeInto(_scratch.AsSpan(0, range.Length));
                _trainer.Flat.LoadRange(range.Start, _scratch.AsSpan(0, range.Length));
            }
            _loaded[s] = payload;
        }

        var result = _trainer.Backward(data, samples, batchKey);

        var gradients = new TensorPayload[_layout.ShardCount];
        var squares = 0.0;
        for (var s = 0; s < gradients.Length; s++)
        {
            var range = _layout[s];
            if (_encoding == PayloadEncoding.F32 && BitConverter.IsLittleEndian)
            {
                var bytes = GC.AllocateUninitializedArray<byte>(range.Length * sizeof(float));
                var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
                _trainer.Flat.ReadGradientRange(range.Start, values);
                squares += FloatSpans.SumOfSquares(values);
                gradients[s] = new TensorPayload(PayloadEncoding.F32, range.Length, bytes);
            }
            else
            {
                var values = _scratch.AsSpan(0, range.Length);
                _trainer.Flat.ReadGradientRange(range.Start, values);
                squares += FloatSpans.SumOfSquares(values);
                gradients[s] = TensorPayload.Encode(values, _encoding);
            }
        }
        // Any NaN or infinite element makes the norm non-finite: the worker then pushes nothing of it.
        return (result, gradients, Math.Sqrt(squares));
    }

    public void Dispose() => _trainer.Dispose();
}
