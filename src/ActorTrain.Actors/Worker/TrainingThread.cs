using System.Collections.Concurrent;
using Akka.Actor;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// A dedicated OS thread for a worker's TorchSharp work. Training steps block for milliseconds to seconds;
/// on the shared thread pool they would delay the actors and, once remote, the cluster's heartbeats.
/// TorchSharp's dispose scopes and no_grad are per thread, so every step runs start to end on this one.
/// </summary>
public sealed class TrainingThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];
    private readonly Thread _thread;

    public TrainingThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="work"/> and tells its result to <paramref name="replyTo"/> straight from this thread
    /// (or a <see cref="Status.Failure"/>), with no task continuation hop in between.
    /// </summary>
    public void Run<T>(Func<T> work, IActorRef replyTo) =>
        _work.Add(() =>
        {
            object reply;
            try { reply = work()!; }
            catch (Exception e) { reply = new Status.Failure(e); }
            replyTo.Tell(reply);
        });

    public Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { completion.SetResult(work()); }
            catch (Exception e) { completion.SetException(e); }
        });
        return completion.Task;
    }

    private void Loop()
    {
        foreach (var work in _work.GetConsumingEnumerable()) work();
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(30));
        _work.Dispose();
    }
}
