using NativeCam.Cam.Diagnostics;

namespace NativeCam.Benchmarks;

/// <summary>The FP32 FMA peak (<see cref="FmaPeak"/>'s loop), by wall clock and by CPU time.</summary>
public static class PeakFlops
{
    /// <summary>Best (wall-clock, CPU-time) GFLOP/s of <paramref name="threads"/> threads each running the FMA loop.</summary>
    public static (double Wall, double Cpu) Measure(int threads, double seconds = 0.8)
    {
        const long iters = 2_000_000;
        FmaPeak.Loop(1000); // jit
        var opts = new ParallelOptions { MaxDegreeOfParallelism = threads };
        return Timing.BestGflops(() => Parallel.For(0, threads, opts, _ => FmaPeak.Loop(iters)),
            threads * (double)iters * FmaPeak.FlopsPerIteration, threads, seconds);
    }
}
