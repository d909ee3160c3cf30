using System.Diagnostics;

namespace NativeCam.Benchmarks.VsOrt;

/// <summary>
/// Times two workloads run alternately (a, b, a, b, …) so that both see the same machine: on a shared computer the
/// load of other processes changes over seconds, and alternating spreads it evenly over the two.
/// </summary>
public static class AlternatingTimer
{
    /// <summary>
    /// <paramref name="warmup"/> untimed runs of each, then timed pairs until each workload ran at least
    /// <paramref name="minRuns"/> times and the timed runs of both together took at least <paramref name="minSeconds"/>
    /// (at most <paramref name="maxRuns"/> pairs).
    /// </summary>
    /// <returns>The milliseconds of each timed run of a and of b, in run order.</returns>
    public static (double[] A, double[] B) Measure(Action a, Action b, int warmup, double minSeconds, int minRuns, int maxRuns = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(minRuns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, minRuns);
        for (int i = 0; i < warmup; i++) { a(); b(); }
        var ta = new List<double>();
        var tb = new List<double>();
        double total = 0;
        while ((ta.Count < minRuns || total < minSeconds * 1e3) && ta.Count < maxRuns)
        {
            ta.Add(Time(a));
            tb.Add(Time(b));
            total += ta[^1] + tb[^1];
        }
        return ([.. ta], [.. tb]);
    }

    private static double Time(Action run)
    {
        long t0 = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
}
