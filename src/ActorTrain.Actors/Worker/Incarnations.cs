namespace ActorTrain.Actors.Worker;

/// <summary>Strictly increasing incarnation numbers within a process, never below the one a worker was set up with.</summary>
internal static class Incarnations
{
    private static long _last;

    public static long Next(long atLeast)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(last + 1, atLeast);
            if (Interlocked.CompareExchange(ref _last, next, last) == last) return next;
        }
    }
}
