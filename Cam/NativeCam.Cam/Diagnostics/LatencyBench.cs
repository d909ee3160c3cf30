using System.Diagnostics;

namespace NativeCam.Cam.Diagnostics;

/// <summary>Latency of repeated runs of one workload, in milliseconds.</summary>
/// <param name="MinMs">The fastest run.</param>
/// <param name="MedianMs">The median run.</param>
/// <param name="Runs">How many runs were timed (warm-up excluded).</param>
public sealed record LatencyStats(double MinMs, double MedianMs, int Runs);

/// <summary>How long <see cref="LatencyBench.Measure"/> times a workload.</summary>
/// <param name="WarmupRuns">Untimed runs first (JIT, buffer pools, caches).</param>
/// <param name="MinSeconds">Keep timing until this much time has passed…</param>
/// <param name="MinRuns">…and at least this many runs were timed, whichever ends later.</param>
/// <param name="MaxRuns">Stop after this many timed runs in any case.</param>
public sealed record LatencyBenchOptions(int WarmupRuns = 2, double MinSeconds = 3, int MinRuns = 20, int MaxRuns = 10_000)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (WarmupRuns < 0) throw new ArgumentException($"warm-up runs must be ≥ 0; got {WarmupRuns}");
        if (!(MinSeconds >= 0) || double.IsInfinity(MinSeconds)) throw new ArgumentException($"minimum seconds must be finite and ≥ 0; got {MinSeconds}");
        if (MinRuns < 1) throw new ArgumentException($"minimum runs must be ≥ 1; got {MinRuns}");
        if (MaxRuns < MinRuns) throw new ArgumentException($"maximum runs ({MaxRuns}) is below the minimum ({MinRuns})");
    }
}

/// <summary>The timing loop: warm-up, then wall-clock time of each run until both minimums are met.</summary>
public static class LatencyBench
{
    /// <summary>Times <paramref name="run"/>; returns the minimum and median over the timed runs.</summary>
    public static LatencyStats Measure(Action run, LatencyBenchOptions? options = null, CancellationToken cancellation = default)
    {
        var o = options ?? new LatencyBenchOptions();
        o.Validate();
        for (int i = 0; i < o.WarmupRuns; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            run();
        }
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while ((times.Count < o.MinRuns || total.Elapsed.TotalSeconds < o.MinSeconds) && times.Count < o.MaxRuns)
        {
            cancellation.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return Summarize(times);
    }

    /// <summary>Minimum and median (the mean of the middle two for an even count) of timings in ms.</summary>
    public static LatencyStats Summarize(IReadOnlyList<double> timesMs)
    {
        if (timesMs.Count == 0) throw new ArgumentException("no timings to summarize");
        var sorted = timesMs.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return new LatencyStats(sorted[0], median, n);
    }
}
