using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Cam.Diagnostics;

/// <summary>
/// The float32 FMA peak of this machine, measured: each thread runs 12 independent chains of fused multiply-adds
/// on the widest accelerated vector (512 bits where the processor has AVX-512, else 256), enough to hide the FMA
/// latency; 2 flops per lane per FMA. Profiles and benchmarks divide their GFLOP/s by it.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 12;

    /// <summary>Flops of one iteration of <see cref="Loop"/>.</summary>
    public static double FlopsPerIteration => Chains * 2.0 * (Vector512.IsHardwareAccelerated ? 16 : 8);

    /// <summary>
    /// Best wall-clock GFLOP/s of <paramref name="threads"/> threads each running the FMA loop, over repeated
    /// timings within about <paramref name="seconds"/> (at least 3).
    /// </summary>
    public static double Measure(int threads, double seconds = 0.3)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        const long iterations = 1_000_000;
        Loop(1000); // compile
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        double flops = threads * (double)iterations * FlopsPerIteration, best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int run = 0; run < 3 || total.Elapsed.TotalSeconds < seconds; run++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, options, _ => Loop(iterations));
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return flops / best / 1e9;
    }

    /// <summary>Runs <paramref name="iterations"/> iterations of the FMA chains on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Loop(long iterations) => Vector512.IsHardwareAccelerated ? Loop512(iterations) : Loop256(iterations);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iters)
    {
        var m = Vector512.Create(0.9999f); var d = Vector512.Create(1e-7f);
        Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, d); a1 = Vector512.FusedMultiplyAdd(a1, m, d);
            a2 = Vector512.FusedMultiplyAdd(a2, m, d); a3 = Vector512.FusedMultiplyAdd(a3, m, d);
            a4 = Vector512.FusedMultiplyAdd(a4, m, d); a5 = Vector512.FusedMultiplyAdd(a5, m, d);
            a6 = Vector512.FusedMultiplyAdd(a6, m, d); a7 = Vector512.FusedMultiplyAdd(a7, m, d);
            a8 = Vector512.FusedMultiplyAdd(a8, m, d); a9 = Vector512.FusedMultiplyAdd(a9, m, d);
            a10 = Vector512.FusedMultiplyAdd(a10, m, d); a11 = Vector512.FusedMultiplyAdd(a11, m, d);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iters)
    {
        var m = Vector256.Create(0.9999f); var d = Vector256.Create(1e-7f);
        Vector256<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m, a8 = m, a9 = m, a10 = m, a11 = m;
        for (long i = 0; i < iters; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, d); a1 = Vector256.FusedMultiplyAdd(a1, m, d);
            a2 = Vector256.FusedMultiplyAdd(a2, m, d); a3 = Vector256.FusedMultiplyAdd(a3, m, d);
            a4 = Vector256.FusedMultiplyAdd(a4, m, d); a5 = Vector256.FusedMultiplyAdd(a5, m, d);
            a6 = Vector256.FusedMultiplyAdd(a6, m, d); a7 = Vector256.FusedMultiplyAdd(a7, m, d);
            a8 = Vector256.FusedMultiplyAdd(a8, m, d); a9 = Vector256.FusedMultiplyAdd(a9, m, d);
            a10 = Vector256.FusedMultiplyAdd(a10, m, d); a11 = Vector256.FusedMultiplyAdd(a11, m, d);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
