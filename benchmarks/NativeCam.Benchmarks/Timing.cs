using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NativeCam.Benchmarks;

/// <summary>
/// Best-of timing by wall clock and by process CPU time. On a shared, oversubscribed machine the wall clock
/// includes time the threads were descheduled; CPU time divided by the thread count estimates the wall time on
/// owned cores.
/// </summary>
public static partial class Timing
{
    /// <summary>Best wall-clock and CPU-time GFLOP/s of repeated calls within about <paramref name="seconds"/>.</summary>
    public static (double Wall, double Cpu) BestGflops(Action run, double flops, int threads, double seconds, int minRuns = 5)
    {
        run(); run();
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (n < minRuns || sw.Elapsed.TotalSeconds < seconds)
        {
            double c0 = ProcessCpuSeconds();
            long t0 = Stopwatch.GetTimestamp();
            run();
            double wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            double cpu = (ProcessCpuSeconds() - c0) / threads;
            bestWall = Math.Min(bestWall, wall);
            if (cpu > 0) bestCpu = Math.Min(bestCpu, cpu);
            if (++n > 5000) break;
        }
        if (bestCpu == double.MaxValue || double.IsNaN(bestCpu)) bestCpu = bestWall;
        return (flops / bestWall / 1e9, flops / bestCpu / 1e9);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec; public long NSec; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);

    /// <summary>CPU seconds used by the whole process (CLOCK_PROCESS_CPUTIME_ID); NaN where unavailable.</summary>
    public static double ProcessCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        return ClockGetTime(2, out var ts) == 0 ? ts.Sec + ts.NSec * 1e-9 : double.NaN;
    }
}
