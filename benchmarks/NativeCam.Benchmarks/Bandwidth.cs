using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Benchmarks;

/// <summary>
/// Copy bandwidth (bytes read + bytes written per second) over a working set of a given size, split over threads in
/// contiguous halves: the memory bound that a kernel moving that many bytes cannot beat. Measured at the size of
/// each memory-bound case, since a few MiB stay in L2/L3 and run far above DRAM speed.
/// </summary>
public static class Bandwidth
{
    /// <summary>Best (wall-clock, CPU-time) GB/s of a vector copy between two buffers of <paramref name="bytes"/>/2.</summary>
    public static (double Wall, double Cpu) Measure(double bytes, int threads, double seconds = 0.3)
    {
        int n = Math.Max(1024, (int)(bytes / 8) / 64 * 64);
        var a = GC.AllocateUninitializedArray<float>(n, pinned: true);
        var b = GC.AllocateUninitializedArray<float>(n, pinned: true);
        a.AsSpan().Fill(1f); b.AsSpan().Clear();
        var opts = new ParallelOptions { MaxDegreeOfParallelism = threads };
        void Run()
        {
            if (threads == 1) { Copy(a, b, 0, n); return; }
            Parallel.For(0, threads, opts, t => Copy(a, b, (int)((long)n * t / threads), (int)((long)n * (t + 1) / threads)));
        }
        // GFLOP/s of "flops" = bytes is GB/s
        return Timing.BestGflops(Run, 8.0 * n, threads, seconds);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Copy(float[] src, float[] dst, int from, int to)
    {
        fixed (float* s = src, d = dst)
        {
            int i = from;
            for (; i + 32 <= to; i += 32)
            {
                Vector256.Store(Vector256.Load(s + i), d + i);
                Vector256.Store(Vector256.Load(s + i + 8), d + i + 8);
                Vector256.Store(Vector256.Load(s + i + 16), d + i + 16);
                Vector256.Store(Vector256.Load(s + i + 24), d + i + 24);
            }
            for (; i < to; i++) d[i] = s[i];
        }
    }
}
