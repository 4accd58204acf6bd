using Akka.Actor;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>
/// A named condition on a system's event stream (cluster events, log events): the task completes with the first
/// event of type T that matches. It is armed when <see cref="Arm"/> returns, so arm it before firing what should
/// cause the event.
/// </summary>
public static class EventStreamCondition
{
    public static Task<T> Arm<T>(ActorSystem system, Func<T, bool> match)
    {
        var seen = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var awaiter = system.ActorOf(Props.Create(() => new Awaiter<T>(match, seen)));
        system.EventStream.Subscribe(awaiter, typeof(T));
        return seen.Task;
    }

    private sealed class Awaiter<T> : ReceiveActor
    {
        public Awaiter(Func<T, bool> match, TaskCompletionSource<T> seen) =>
            Receive<T>(e =>
            {
                if (match(e) && seen.TrySetResult(e)) Context.Stop(Self);
            });
    }
}
